#!/bin/sh
# The Debian/Ubuntu packages the notebooks and the tests need, installed with apt-get: through sudo
# for a user, directly as root (a fresh Debian or a container has no sudo). The one list of them:
# the README's Quick start and .ci/run both run this script.
#   jupyter-notebook, jupyter-nbconvert, python3-ipykernel  the notebooks (npm start), run headless in the tests
#   chromium, fonts-dejavu-core                             plots drawn and screenshot, headless
#   python3-numpy                                           the live oracle for numpy's permutation, printing, percentiles
#   python3-jinja2                                          the oracle for chat templates (Jinja, as transformers renders them)
set -eu
PACKAGES="jupyter-notebook jupyter-nbconvert python3-ipykernel chromium fonts-dejavu-core python3-numpy python3-jinja2"

if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-system-packages.sh: run it as root, or install sudo: apt-get needs root to install $PACKAGES" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086 # the list is split into words on purpose
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES
