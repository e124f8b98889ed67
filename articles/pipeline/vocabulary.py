"""Words the pipeline looks for, kept as data so editors and tests can read them.

TOPICS seeds the Topic table (editors may change keywords there afterwards); PLACES is
the gazetteer used to notice where a sentence puts an event.
"""

TOPICS = (
    ("tariffs", "Tariffs", ["tariff", "duties", "levies", "levy", "customs"]),
    (
        "rare-earths",
        "Rare earths",
        ["rare earth", "rare-earth", "magnet", "critical mineral", "licensing"],
    ),
    (
        "export-controls",
        "Export controls",
        ["export control", "export restriction", "export curb", "blacklist", "entity list"],
    ),
    ("agriculture", "Agriculture", ["soybean", "farmer", "agricultur"]),
    ("fentanyl", "Fentanyl", ["fentanyl", "precursor"]),
    ("technology", "Technology", ["tiktok", "semiconductor", "chip", "software"]),
    ("shipping", "Shipping", ["port fee", "port access", "shipping", "shipbuilding", "vessel"]),
    ("taiwan", "Taiwan", ["taiwan", "taipei"]),
    (
        "diplomacy",
        "Talks and summits",
        ["talks", "negotiat", "summit", "meeting", "meet ", "framework", "truce", "consensus"],
    ),
)

# City-level names first: a sentence naming "Busan, South Korea" is placed in Busan.
PLACES = (
    "Kuala Lumpur",
    "Busan",
    "Gyeongju",
    "Gimhae",
    "Seoul",
    "Geneva",
    "Stockholm",
    "London",
    "Madrid",
    "Beijing",
    "Washington",
    "Tokyo",
    "Singapore",
    "Malaysia",
    "South Korea",
    "Switzerland",
    "Sweden",
    "Japan",
)

# Where each place lies, so "Busan" and "South Korea" agree while "Busan" and
# "Gyeongju" do not.
PLACE_PARENTS = {
    "Kuala Lumpur": "Malaysia",
    "Busan": "South Korea",
    "Gyeongju": "South Korea",
    "Gimhae": "Busan",
    "Seoul": "South Korea",
    "Geneva": "Switzerland",
    "Stockholm": "Sweden",
    "Tokyo": "Japan",
}

# Capitals that news writing uses for governments ("Washington and Beijing attempt to
# ease a dispute"): naming them says nothing about where an event took place.
METONYMS = ("Washington", "Beijing")
