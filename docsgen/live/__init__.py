"""Live progress: PostgreSQL LISTEN/NOTIFY in, Server-Sent Events out.

``listener`` keeps one dedicated connection listening; ``hub`` turns each
notification into one row read per repository and fans the result out to every
subscriber of this process; ``sse`` frames what is sent on the wire.
"""
