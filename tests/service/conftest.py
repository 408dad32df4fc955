"""What the service tests share: a small clipping in the seed's shape."""

from __future__ import annotations

#: a clipping: title, date, source line, three paragraphs
NIGHT_TRAINS = """Night Trains Return to the Northern Line
April 2, 2025
Reprinted from The Rail Weekly
The first night train in twelve years left the central station at eleven on Tuesday.
Passengers filled every couchette, and the buffet car ran out of soup before midnight.
The operator says it will add a second weekly service in June if demand holds.
"""
