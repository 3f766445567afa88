#!/usr/bin/env sh
# Installs LuaJIT (Debian package `luajit`) when it is missing: the tests run
# the generated Envoy Lua filter in it, as Envoy's Lua filter is LuaJIT.
set -eu
command -v luajit >/dev/null 2>&1 && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq luajit
