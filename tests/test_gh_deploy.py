"""``mkdocs gh-deploy`` publishes the complete site to the gh-pages branch.

The plugin builds into a staging directory and swaps it into ``site_dir``;
gh-deploy then pushes ``site_dir``, so this proves the plugin hands MkDocs
back the real folder. The remote is a local bare repository standing in for
GitHub.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sitecheck import REPO, project_copy, run_cli


def git(*args: str | Path, cwd: Path) -> str:
    result = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def test_gh_deploy_pushes_the_whole_site_to_the_gh_pages_branch(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", remote, cwd=tmp_path)
    config = project_copy(tmp_path, REPO / "records")
    git("init", "-q", cwd=tmp_path)
    git("remote", "add", "origin", remote, cwd=tmp_path)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    result = run_cli("mkdocs", "gh-deploy", "--force", "--config-file", config, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    published = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    for path in ("index.html", "records/9d868d69f2b01361/index.html", "quality-guide/index.html", "404.html"):
        assert path in published
    assert not any(p.startswith(".") and p != ".nojekyll" for p in published)
