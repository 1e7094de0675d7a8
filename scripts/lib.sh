# Shared by scripts/setup.sh and scripts/package-setup.sh (source it; not run on its own).

# ensure_debian_packages TAG PACKAGE...: install the Debian packages that are missing (as root;
# `apt-get update` first, since a fresh machine has no package lists). TAG prefixes the messages.
ensure_debian_packages() {
  local tag=$1
  shift
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "$tag: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "$tag: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
