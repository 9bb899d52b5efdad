#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print hzram's version, one string used everywhere: MODULE_VERSION, the
# DKMS version, /usr/src/hzram-<version> and the Debian package version
# (so it must start with a digit and carry no '-').
#
# In a git checkout it comes from `git describe --tags --always --dirty`:
#   on a tag vX.Y.Z          X.Y.Z
#   past a tag               X.Y.Z+git<commit date>.<hash>
#   no tag at all            <VERSION file>+git<commit date>.<hash>
# with ".dirty" appended for uncommitted changes. Without .git (a DKMS
# tree, an unpacked source package) the VERSION file is the version:
# make deb and make dkms-install write the full string into it.
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cat "$top/VERSION" 2> /dev/null) || base=0.0.0

if [ ! -e "$top/.git" ] || ! command -v git > /dev/null ||
   ! desc=$(git -C "$top" describe --tags --always --dirty 2> /dev/null); then
	echo "$base"
	exit 0
fi

dirty=
case $desc in
*-dirty)	dirty=.dirty; desc=${desc%-dirty} ;;
esac
tag=$(git -C "$top" describe --tags --abbrev=0 2> /dev/null) && base=${tag#v}
if [ "$desc" = "$tag" ]; then
	echo "$base${dirty:++dirty}"
	exit 0
fi
hash=$(git -C "$top" rev-parse --short=7 HEAD)
date=$(git -C "$top" log -1 --format=%cd --date=format:%Y%m%d HEAD)
echo "$base+git$date.$hash$dirty"
