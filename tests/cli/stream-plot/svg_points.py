"""Prints the series of a stream-plot SVG (it must parse as XML) and the number of points each holds."""
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == SVG + "svg", root.tag
for p in root.iter(SVG + "polyline"):
    if p.get("class") != "series":
        continue
    pts = p.get("points").split()
    for xy in pts:
        x, y = xy.split(",")
        float(x), float(y)
    print(p.get("data-name"), len(pts))
