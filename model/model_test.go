package model

import (
	"reflect"
	"testing"
)

func TestDerive(t *testing.T) {
	cb := func(dim, val string) Tag { return Tag{Dimension: dim, Value: val, Source: SourceCodebook} }
	an := func(dim, val string) Tag { return Tag{Dimension: dim, Value: val, Source: SourceAnalyst} }
	tests := []struct {
		name        string
		tags        []Tag
		purview     string
		frames, ins []string
	}{
		{"no tags", nil, PurviewUnstated, []string{}, []string{}},
		{"objection decides over affirmation", []Tag{cb(DimPurview, PurviewAffirms), cb(DimPurview, PurviewContests)}, PurviewContests, []string{}, []string{}},
		{"contests over conditional", []Tag{cb(DimPurview, PurviewConditional), cb(DimPurview, PurviewContests)}, PurviewContests, []string{}, []string{}},
		{"conditional over affirms", []Tag{cb(DimPurview, PurviewAffirms), cb(DimPurview, PurviewConditional)}, PurviewConditional, []string{}, []string{}},
		{"analyst overrides a stronger codebook tag", []Tag{cb(DimPurview, PurviewContests), an(DimPurview, PurviewUnstated)}, PurviewUnstated, []string{}, []string{}},
		{"analyst order does not matter", []Tag{an(DimPurview, PurviewAffirms), cb(DimPurview, PurviewContests)}, PurviewAffirms, []string{}, []string{}},
		{"unknown purview value ignored", []Tag{cb(DimPurview, "angry")}, PurviewUnstated, []string{}, []string{}},
		{"frames and instruments distinct, in order",
			[]Tag{cb(DimFrame, "gender"), cb(DimInstrument, "UNTOC"), cb(DimFrame, "migration"), cb(DimFrame, "gender"), an(DimInstrument, "UNTOC")},
			PurviewUnstated, []string{"gender", "migration"}, []string{"UNTOC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, f, i := Derive(tt.tags)
			if p != tt.purview || !reflect.DeepEqual(f, tt.frames) || !reflect.DeepEqual(i, tt.ins) {
				t.Errorf("Derive = %q %v %v, want %q %v %v", p, f, i, tt.purview, tt.frames, tt.ins)
			}
		})
	}
}
