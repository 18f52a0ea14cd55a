// Package sample bundles the documents that `stancetrack serve --sample`
// ingests into an empty database, so that a fresh install shows real data
// without any download. The reference release SC/12751 is a UN document;
// see docs/README.md beside it for the sources.
package sample

import "embed"

// Docs holds the bundled documents under docs/.
//
//go:embed docs/*.txt
var Docs embed.FS
