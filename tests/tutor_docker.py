"""What ``docker compose`` does for Tutor's jobs, without containers: run the job's script here.

Tutor runs a job as ``docker compose … run --rm -T lms-job sh -e -c SCRIPT``. This program,
installed as ``docker`` on the ``PATH`` of a ``tutor`` process under test, records every call
(one JSON list per line in ``$TUTOR_DOCKER_LOG``) and runs ``SCRIPT`` with ``sh -e -c`` in
``$TUTOR_DOCKER_WORKDIR``, where a ``manage.py`` runs the test host's commands as the
``openedx`` image's ``./manage.py lms …`` would. ``docker compose ls`` answers that no project
runs. Only Docker is replaced: the script is the one Tutor rendered.
"""

import json
import os
import subprocess
import sys

WRAPPER = """\
#!{python}
import os, sys
sys.argv.pop(1)  # "lms" or "cms": the openedx image's manage.py takes the service first
os.execv({python!r}, [{python!r}, {manage!r}, *sys.argv[1:]])
"""


def write_manage_wrapper(workdir, repo_root):
    """A ``manage.py`` in ``workdir`` that runs ``./manage.py lms ARGS`` on the test host."""
    path = os.path.join(workdir, "manage.py")
    with open(path, "w", encoding="utf-8") as wrapper:
        wrapper.write(
            WRAPPER.format(python=sys.executable, manage=os.path.join(repo_root, "manage.py"))
        )
    os.chmod(path, 0o755)


def main(argv):
    with open(os.environ["TUTOR_DOCKER_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    if argv[:1] != ["compose"]:
        raise SystemExit(f"unexpected docker call: {argv}")
    if "ls" in argv:
        print("[]")
        return 0
    if "run" in argv:
        script = argv[argv.index("-c") + 1]
        service = argv[argv.index("-c") - 3]
        workdir = os.environ["TUTOR_DOCKER_WORKDIR"]
        completed = subprocess.run(["sh", "-e", "-c", script], cwd=workdir, check=False)
        print(f"job in {service} exited {completed.returncode}")
        return completed.returncode
    raise SystemExit(f"unexpected docker compose call: {argv}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
