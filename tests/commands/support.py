"""A management command run as manage.py runs it: (exit status, stdout, stderr), a CommandError's message written to
stderr as manage.py prints it before it exits with the error's returncode."""

import io

from django.core.management import CommandError, call_command


def run_command(name: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(f"CommandError: {error}\n")
    return code, out.getvalue(), err.getvalue()
