"""The `longcode` command. Imports stay lazy so `longcode --help` answers at once."""

from __future__ import annotations

import typer

from longcode.cli import (
    accounts,
    billing,
    carriers,
    cnam,
    inventory,
    keys,
    numbers,
    sandbox,
    serve,
    smsc,
    webhooks,
    worker,
)

app = typer.Typer(
    name="longcode",
    help="A self-hostable messaging and phone-number platform speaking the Flowroute API.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.command("smsc")(smsc.smsc)
app.add_typer(accounts.app, name="accounts")
app.add_typer(keys.app, name="keys")
app.add_typer(inventory.app, name="inventory")
app.add_typer(numbers.app, name="numbers")
app.add_typer(cnam.app, name="cnam")
app.add_typer(billing.app, name="billing")
app.add_typer(carriers.app, name="carriers")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(sandbox.app, name="sandbox")


def main() -> None:
    app()
