"""Invitations by e-mail: iTIP REQUEST/CANCEL (RFC 5546) sent as iMIP messages (RFC 6047).

``recipients`` says who is invited, ``settings`` reads the organizer mailbox and SMTP address,
``letters`` builds the e-mail around a calendar object from :mod:`feeds.itip`, ``service``
decides what each recipient still needs (idempotent, audited, into the outbox table) and
``delivery`` hands outbox rows to an SMTP server. Without SMTP the outbox is where they stay.
"""
