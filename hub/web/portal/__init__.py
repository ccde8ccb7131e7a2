"""The national portal's pages (served by ``nafitha hub``): server-rendered, no script at all."""
