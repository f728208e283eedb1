"""The doelgroepregister (SPEC section 10, DR): the register's rules, kept apart from the
reporting pipeline. This first layer is pure Python and holds no personal data itself:

- ``bsn`` — DR-1: a BSN is nine digits that pass the elfproef;
- ``pseudonym`` — DR-1: ``persoon_id`` = HMAC-SHA256 of the BSN with the operator's key;
- ``rules`` — DR-2 … DR-4 on a person's registrations as an append-only list of events:
  immediate endings (AOW on the exact day, death, duurzaam geen arbeidsvermogen, beschut werk),
  no automatic outflow, uitschrijving on request from 2020-01-01, a voided registration counts
  on no date; and the validity on a date of BA-2, so that a look-up answers what the reports
  count.

The database, the web service, access control and the extract (DR-5 … DR-7) build on these
(issue 14)."""
