# Source this file (`. infra/node/env.sh`) to put the workspace's Node (.node-version) first on
# PATH for this shell, with npm_config_nodedir set so native modules build against its headers,
# and the pnpm of package.json's packageManager installed if missing. Brings that Node into
# .cache/node/ first (infra/node/ensure.sh).
# An optional argument picks another line or version: `. infra/node/env.sh 22`.
_rf_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/../.." && pwd)
if _rf_node=$(bash "$_rf_root/infra/node/ensure.sh" "$@"); then
  export PATH="$_rf_node/bin:$PATH"
  export npm_config_nodedir="$_rf_node"
  # The pnpm of package.json's packageManager, installed beside that node (its npm prefix).
  # corepack enable fails on these machines (package signature check); npm installs pnpm.
  _rf_pnpm=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$_rf_root/package.json")
  if [ "$(pnpm --version 2>/dev/null)" != "$_rf_pnpm" ]; then
    npm install -g --silent "pnpm@$_rf_pnpm" >/dev/null
  fi
  echo "node $(node --version) from $_rf_node, pnpm $(pnpm --version)" >&2
else
  echo "infra/node/env.sh: could not bring Node into .cache/node" >&2
fi
unset _rf_root _rf_node _rf_pnpm
