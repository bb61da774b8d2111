"""The people who sign in to the newsroom: users, roles and list scopes, sessions, second factors,
and the audit log of what each of them did."""
