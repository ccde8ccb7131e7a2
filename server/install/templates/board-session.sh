#!/bin/sh
# Written by `nafitha install`: the whole X session of this board (the waiting hall's screen),
# started by nafitha-board.service through xinit. Chromium alone, fullscreen, sound allowed; when
# it ends, X ends, and systemd starts both again. ${trust}
xset s off s noblank -dpms 2>/dev/null || true
exec ${chromium} --kiosk --no-first-run --noerrdialogs --disable-translate --disable-session-crashed-bubble --autoplay-policy=no-user-gesture-required --user-data-dir=${profile}${pin} ${url}
