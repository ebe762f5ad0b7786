"""One request across many linked accounts, and what the window says about an account.

``chooser`` picks the accounts (filters, a provider at once), ``results`` shows a row per
account as it comes back, ``dialog`` holds both, ``control`` runs the batch
(``explorer.run.accounts``) on a pool thread after the production guard (two rows are
compared in ``ui.compare`` through its ``compare_requested`` hook), and ``context`` is the
account's context beside the account field and in an exchange's details.
"""
