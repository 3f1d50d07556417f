#!/usr/bin/env bash
# Put the module on a server running The Littlest JupyterHub (TLJH). Run as root from a clone of the
# repository, on the TLJH server, after TLJH itself is installed (deploy/README.md, step 1):
#
#   sudo REPO=https://github.com/OWNER/REPO bash deploy/tljh/install.sh
#
# Settings (environment variables; defaults from the measurements in deploy/README.md):
#   REPO     public git address students pull from (default: this clone's 'origin')
#   BRANCH   branch to pull (default: main)
#   MEMORY   memory limit per student (default: 1G)       CPU   CPU limit per student (default: 1)
#   CULL     stop a student's server after this many idle seconds (default: 3600)
#   INSTRUCTORS  hub user names (comma-separated) who see the live class view, besides the hub's admins
# Safe to run again: after an update of the module's Python code, it reinstalls the package.
set -euo pipefail
cd "$(dirname "$0")/../.."

BRANCH="${BRANCH:-main}"
MEMORY="${MEMORY:-1G}"
CPU="${CPU:-1}"
CULL="${CULL:-3600}"
INSTRUCTORS="${INSTRUCTORS:-}"
CLASSVIEW_USER=kg-classview
CLASSVIEW_DIR=/var/lib/kg-russia-module-classview
USER_PY="${TLJH_USER_PYTHON:-/opt/tljh/user/bin/python}"
CONFIG_D="${TLJH_CONFIG_D:-/opt/tljh/config/jupyterhub_config.d}"

[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)"; exit 1; }
[ -x "$USER_PY" ] && command -v tljh-config >/dev/null || {
  echo "TLJH not found (no $USER_PY or tljh-config): install TLJH first, see deploy/README.md"; exit 1; }

REPO="${REPO:-$(git remote get-url origin 2>/dev/null || true)}"
case "$REPO" in
  https://*|http://*) ;;
  *) echo "set REPO to the module's public https address, e.g. REPO=https://github.com/OWNER/REPO"; exit 1 ;;
esac

echo "== 1. the module into the students' environment (not editable), with the tested versions"
rm -rf build  # stale files from an earlier build would end up in the package
"$USER_PY" -m pip install --no-cache-dir -c constraints.txt . "nbgitpuller==1.3.0"
"$USER_PY" -m course.quiz.keyboard   # JupyterLab settings override: arrow keys work inside quiz controls

echo "== 2. per-student limits: memory $MEMORY, CPU $CPU"
tljh-config set limits.memory "$MEMORY"
tljh-config set limits.cpu "$CPU"

echo "== 3. idle culling after $CULL s"
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout "$CULL"
tljh-config set services.cull.every 300

echo "== 4. the live class view: account $CLASSVIEW_USER, database in $CLASSVIEW_DIR, instructors: ${INSTRUCTORS:-admins only}"
id -u "$CLASSVIEW_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir "$CLASSVIEW_DIR" --shell /usr/sbin/nologin "$CLASSVIEW_USER"
install -d -m 0700 -o "$CLASSVIEW_USER" -g "$CLASSVIEW_USER" "$CLASSVIEW_DIR"
INSTRUCTORS_PY="$("$USER_PY" -c 'import json, sys; print(json.dumps([n.strip() for n in sys.argv[1].split(",") if n.strip()]))' "$INSTRUCTORS")"

echo "== 5. JupyterLab; log in -> pull $REPO ($BRANCH) -> notebooks/00_start_here.ipynb; private homes"
tljh-config set user_environment.default_app jupyterlab
mkdir -p "$CONFIG_D"
sed -e "s|^REPO = .*|REPO = \"$REPO\"|" -e "s|^BRANCH = .*|BRANCH = \"$BRANCH\"|" \
  -e "s|^INSTRUCTORS = \[\]|INSTRUCTORS = $INSTRUCTORS_PY|" \
  deploy/tljh/jupyterhub_config.d/kg-russia-module.py > "$CONFIG_D/kg-russia-module.py"
tljh-config reload

echo
echo "Done. The link for your students (also in deploy/README.md):"
"$USER_PY" -m course hub-link --hub "https://$(hostname -f)" --repo "$REPO" --branch "$BRANCH"
echo "(replace the address with your hub's public one if it differs)"
echo "The live class view, for admins and instructors: https://$(hostname -f)/services/classview/"
