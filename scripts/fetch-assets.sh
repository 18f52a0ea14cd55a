#!/usr/bin/env bash
# Fetches the dashboard's chart assets from the npm registry, reproducibly:
# pinned versions, npm's own sha512 integrity check on each tarball, and the
# sha256 sums below on every file we write. Nothing here is committed; the
# binary embeds whatever this script wrote under static/echarts/.
#
#   scripts/fetch-assets.sh [DEST]      (default: static/echarts)
#
# The world map is built from world-atlas (ISC; Natural Earth, public domain)
# with topojson-client (ISC) so that each feature's name IS its ISO 3166-1
# alpha-3 code: charts then key States by ISO3 and never by an English name
# that differs between sources ("United States of America").
set -euo pipefail

ECHARTS=5.6.0
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0

here=$(cd "$(dirname "$0")" && pwd)
DEST=${1:-$here/../static/echarts}
command -v npm >/dev/null || { echo "fetch-assets: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "fetch-assets: node is required" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "echarts@$ECHARTS" "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" >/dev/null )
for p in echarts world-atlas topojson-client; do
	mkdir -p "$tmp/$p"
	tar -xzf "$tmp/$p-"*.tgz -C "$tmp/$p"
done

mkdir -p "$DEST/maps"
cp "$tmp/echarts/package/dist/echarts.min.js" "$DEST/echarts.min.js"
cp "$tmp/echarts/package/LICENSE" "$DEST/LICENSE.echarts"
cp "$tmp/echarts/package/NOTICE" "$DEST/NOTICE.echarts"
cp "$tmp/world-atlas/package/LICENSE" "$DEST/maps/LICENSE.world-atlas"
cp "$tmp/topojson-client/package/LICENSE" "$DEST/maps/LICENSE.topojson-client"

# Convert countries-110m TopoJSON to an echarts map script. Output is
# deterministic (fixed key order, fixed rounding), so its checksum is stable.
cat > "$tmp/convert.js" <<'JS'
const topojson = require(process.argv[2]);
const topo = require(process.argv[3]);
// ISO 3166-1 numeric -> alpha-3 for the 110m features. Kosovo, N. Cyprus and
// Somaliland have no numeric code in the data; Kosovo gets the user-assigned
// XKX that the UN/EU use, the others are left out.
const A3 = {"004":"AFG","008":"ALB","010":"ATA","012":"DZA","024":"AGO","031":"AZE","032":"ARG","036":"AUS","040":"AUT","044":"BHS","050":"BGD","051":"ARM","056":"BEL","064":"BTN","068":"BOL","070":"BIH","072":"BWA","076":"BRA","084":"BLZ","090":"SLB","096":"BRN","100":"BGR","104":"MMR","108":"BDI","112":"BLR","116":"KHM","120":"CMR","124":"CAN","140":"CAF","144":"LKA","148":"TCD","152":"CHL","156":"CHN","158":"TWN","170":"COL","178":"COG","180":"COD","188":"CRI","191":"HRV","192":"CUB","196":"CYP","203":"CZE","204":"BEN","208":"DNK","214":"DOM","218":"ECU","222":"SLV","226":"GNQ","231":"ETH","232":"ERI","233":"EST","238":"FLK","242":"FJI","246":"FIN","250":"FRA","260":"ATF","262":"DJI","266":"GAB","268":"GEO","270":"GMB","275":"PSE","276":"DEU","288":"GHA","300":"GRC","304":"GRL","320":"GTM","324":"GIN","328":"GUY","332":"HTI","340":"HND","348":"HUN","352":"ISL","356":"IND","360":"IDN","364":"IRN","368":"IRQ","372":"IRL","376":"ISR","380":"ITA","384":"CIV","388":"JAM","392":"JPN","398":"KAZ","400":"JOR","404":"KEN","408":"PRK","410":"KOR","414":"KWT","417":"KGZ","418":"LAO","422":"LBN","426":"LSO","428":"LVA","430":"LBR","434":"LBY","440":"LTU","442":"LUX","450":"MDG","454":"MWI","458":"MYS","466":"MLI","478":"MRT","484":"MEX","496":"MNG","498":"MDA","499":"MNE","504":"MAR","508":"MOZ","512":"OMN","516":"NAM","524":"NPL","528":"NLD","540":"NCL","548":"VUT","554":"NZL","558":"NIC","562":"NER","566":"NGA","578":"NOR","586":"PAK","591":"PAN","598":"PNG","600":"PRY","604":"PER","608":"PHL","616":"POL","620":"PRT","624":"GNB","626":"TLS","630":"PRI","634":"QAT","642":"ROU","643":"RUS","646":"RWA","682":"SAU","686":"SEN","688":"SRB","694":"SLE","703":"SVK","704":"VNM","705":"SVN","706":"SOM","710":"ZAF","716":"ZWE","724":"ESP","728":"SSD","729":"SDN","732":"ESH","740":"SUR","748":"SWZ","752":"SWE","756":"CHE","760":"SYR","762":"TJK","764":"THA","768":"TGO","780":"TTO","784":"ARE","788":"TUN","792":"TUR","795":"TKM","800":"UGA","804":"UKR","807":"MKD","818":"EGY","826":"GBR","834":"TZA","840":"USA","854":"BFA","858":"URY","860":"UZB","862":"VEN","887":"YEM","894":"ZMB"};
const round = (x) => Math.round(x * 1000) / 1000;
// A ring that jumps across the antimeridian (Russia's Chukotka, Fiji) makes
// echarts draw a line across the whole map: pull the stray points onto the
// side where most of the ring lies.
function fixRing(ring) {
	let jump = false;
	for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jump = true;
	if (!jump) return ring.map(([x, y]) => [round(x), round(y)]);
	const east = ring.filter(([x]) => x > 0).length >= ring.length / 2;
	return ring.map(([x, y]) => [round(east ? (x < 0 ? 180 : x) : (x > 0 ? -180 : x)), round(y)]);
}
const polys = (g) => g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
const fc = topojson.feature(topo, topo.objects.countries);
const features = [];
for (const f of fc.features) {
	const iso3 = f.properties.name === "Kosovo" ? "XKX" : A3[f.id];
	if (!iso3 || iso3 === "ATA") continue; // Antarctica: no delegation, and it swamps the map
	const coords = polys(f.geometry).map((p) => p.map(fixRing));
	features.push({type: "Feature", properties: {name: iso3, label: f.properties.name},
		geometry: {type: "MultiPolygon", coordinates: coords}});
}
features.sort((a, b) => a.properties.name < b.properties.name ? -1 : 1);
const geo = {type: "FeatureCollection", features};
process.stdout.write("/* world-atlas " + process.argv[4] + " countries-110m (Natural Earth, public domain; ISC), " +
	"converted with topojson-client; feature names are ISO 3166-1 alpha-3. */\n" +
	"(function () {\n  if (typeof echarts === 'undefined') { return; }\n  echarts.registerMap('world', " +
	JSON.stringify(geo) + ");\n})();\n");
JS
node "$tmp/convert.js" "$tmp/topojson-client/package/dist/topojson-client.js" \
	"$tmp/world-atlas/package/countries-110m.json" "$WORLD_ATLAS" > "$DEST/maps/world.js"

( cd "$DEST" && sha256sum --check --strict --quiet - <<SUMS
bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1  echarts.min.js
a60eb1ecda344e4e633601bdf42f9a6c9a0561d2eb8ffc5880af62d12d4cb6c5  maps/world.js
SUMS
)
echo "fetch-assets: wrote $(cd "$DEST" && pwd)"
