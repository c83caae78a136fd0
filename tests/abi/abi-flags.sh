# shellcheck shell=sh
# Sourced by check-abi.sh and update-baseline.sh: how a library's ABI is
# described. No machine paths (no corpus path, no compilation directory,
# no source locations), type ids by hash so that unrelated changes do not
# renumber the file, and only the types the public header declares.
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2034
ABI_FLAGS="--no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types --type-id-style hash"

# abidw still names each translation unit by its path, relative to the
# build directory or absolute: keep only the file name.
abi_normalize() {
	sed "s#\\(<abi-instr [^>]*path='\\)[^']*/\\([^'/]*'\\)#\\1\\2#" "$1"
}
