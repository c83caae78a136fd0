#!/bin/sh
# exe_wrapper of `meson test --setup valgrind` (meson.build):
#
#   valgrind-wrap.sh VALGRIND [VALGRIND OPTIONS...] -- PROGRAM [ARGS...]
#
# Runs PROGRAM under valgrind, except language interpreters (python, node,
# ruby, perl), which run as they are: their own allocators and leaks at
# exit are not ours to report, and valgrind has no suppressions for them
# that stay right across versions. The C programs those binding tests
# exercise are covered by the C suites under valgrind.
# SPDX-License-Identifier: MIT
valgrind=$1
shift
opts=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	opts="$opts $1"
	shift
done
shift
case "$(basename "$1")" in
python* | node* | ruby* | perl*)
	exec "$@" ;;
esac
# shellcheck disable=SC2086
exec "$valgrind" $opts "$@"
