"""One request across many linked accounts, and what the window says about an account.

``chooser`` picks the accounts (filters, a provider at once), ``results`` shows a row per
account as it comes back, ``dialog`` holds both, ``control`` runs the batch
(``explorer.run.accounts``) on a pool thread after the production guard, ``side_by_side``
compares two rows' bodies until the JSON-aware compare takes the hook, and ``context`` is
the account's context beside the account field and in an exchange's details.
"""
