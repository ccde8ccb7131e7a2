#!/bin/sh
# Written by `nafitha install`: the whole X session of this ${role} PC (started by
# nafitha-${role}.service through xinit). No window manager and no desktop: when the app ends, X
# ends, and systemd starts both again.
xset s off s noblank -dpms 2>/dev/null || true
exec ${nafitha} ${role} --config ${terminal_config} --fullscreen
