#!/usr/bin/env bash
# The main job: from a fresh clone to the static site.
#   1. .ci/setup: Debian packages (nbconvert, chromium), dotnet tools, the .NET Jupyter kernel,
#      pinned front-end packages
#   2. build the library (Release; the notebooks' setup cells load lib/*/bin/Release)
#   3. execute every notebook in notebooks/ into out/ (Jupyter client, .NET Interactive kernel), render
#      site/ (index.html + one page per notebook; stylesheet, plotly.js and MathJax under site/assets/),
#      and check every page in headless Chromium at 1,100 px and 400 px wide
# Extra arguments go to the site tool: --render-only (reuse out/), --screenshots DIR, --no-check.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/setup
dotnet build BatchNormLab.sln -c Release
dotnet run --project tools/BatchNormLab.Site -c Release --no-build -- --out out --site site "$@"
