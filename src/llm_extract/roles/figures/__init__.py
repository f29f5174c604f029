"""How the article uses a figure: the fate its clause binds it to, its modality, time,
place and side (`counts`), who gives it (`claimants`), another period or place than the
incident's (`count_time`, `count_place`), and the verifier's check of a count against
all of that (`count_check`)."""
