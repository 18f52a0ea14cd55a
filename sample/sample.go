// Package sample bundles the documents that `stancetrack serve --sample`
// ingests into an empty database, so that a fresh install shows real data
// without any download. The reference release SC/12751 is a UN document;
// see docs/README.md beside it for the sources.
package sample

import "embed"

// Docs holds the bundled press releases under docs/.
//
//go:embed docs/*.txt
var Docs embed.FS

// Debates holds three meetings of the UN Security Council Debates corpus
// (Schönfeld et al. 2019, doi:10.7910/DVN/KGVSYH) under unsc-debates/, with
// the excerpt of its speaker metadata in speaker-metadata-sample.tsv.
//
//go:embed unsc-debates
var Debates embed.FS

// DebatesMeta is the path of the metadata table inside Debates.
const DebatesMeta = "unsc-debates/speaker-metadata-sample.tsv"
