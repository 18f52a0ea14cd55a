package codebook

import (
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// The kinds of cue real verbatim records need (issue: real records), each
// with a sentence written for the kind and near-misses; the sentences are
// not copied from the gold files.
func TestPurviewRealRecordKinds(t *testing.T) {
	checkPurviewCases(t, []purviewCase{
		// Procedure, courtesies, reported calls and past decisions carry no stance.
		{"procedural time limit", "I wish to remind all speakers to limit their statements to no more than four minutes in order to enable the Council to carry out its work expeditiously.", "unstated"},
		{"procedural document", "I wish to draw the attention of Council members to document S/2020/1, which contains the report of the Secretary-General on the Mission.", "unstated"},
		{"procedural invitation", "I propose that the Council invite the Permanent Observer to participate in the meeting.", "unstated"},
		{"procedural adjournment", "I will now adjourn the meeting so that the Council can continue its discussion in closed consultations.", "unstated"},
		{"courtesy presidency", "We congratulate you, Mr. President, and your team on assuming the presidency of the Security Council.", "unstated"},
		{"reported calls", "There were calls for the Council to take up the question of sea-level rise.", "unstated"},
		{"past decision by year", "In 1991 the Council adopted resolution 687, which decided on the destruction of such weapons.", "unstated"},
		{"mandate given in the past", "We encourage the Mission to continue its work in accordance with the mandate assigned to it by the Security Council.", "unstated"},
		{"description of the agenda", "The conflicts on the Security Council's agenda remain unresolved.", "unstated"},
		{"description of the debate", "Today we are once again discussing the situation in the region in the Security Council.", "unstated"},

		// Negative judgements of the Council's involvement are never affirmations.
		{"platform for agendas", "We reject attempts to turn the Security Council into a platform for narrow political agendas.", "conditional"},
		{"politicization of the council", "The politicization of the Security Council undermines its credibility.", "conditional"},
		{"must not exceed its remit", "The Council must not exceed its remit when it adopts such measures.", "conditional"},
		{"has exceeded its remit", "By taking up this question the Council has exceeded its remit.", "contests"},
		{"should not be addressed in the council", "Such bilateral questions should not be addressed in the Security Council.", "contests"},
		{"remove from the agenda of", "We call for removing the item from the agenda of the Security Council.", "contests"},
		{"an exception, not a precedent", "We view the Council's decision as an exception that must not set a precedent.", "conditional"},
		{"reject interference in other organs' purview", "We reject any proposal that would constitute interference by the Council in matters within the purview of the General Assembly.", "conditional"},
		{"opposes a new agenda item", "We oppose the inclusion of this new item on the agenda of the Security Council.", "contests"},
		{"no reason for the council to discuss", "There is no reason for the Security Council to discuss the internal affairs of a sovereign State.", "contests"},
		{"near-miss agenda item supported", "We support the inclusion of climate risks in the Council's reports.", "unstated"},
		{"near-miss politicization of aid", "We must avoid the politicization of humanitarian aid.", "unstated"},
		{"near-miss interference by others", "External interference in the internal affairs of the country must end, and the Council must support the talks.", "affirms"},

		// Tasks for the Council named among others, or with a negation elsewhere.
		{"council and secretary-general", "We call on the Security Council and the Secretary-General to act without delay.", "affirms"},
		{"time for council members", "It is high time for the members of the Security Council to act.", "affirms"},
		{"must not hesitate", "The Security Council must not hesitate to act.", "affirms"},
		{"cannot allow", "The Council cannot allow the violence to continue.", "affirms"},
		{"negation elsewhere", "The Council must work with, not against, humanitarian partners.", "affirms"},
		{"together with", "The Security Council, together with the region, should continue to support the talks.", "affirms"},
		{"warrants attention", "The plight of migrants warrants the Council's continued attention.", "affirms"},
		{"near-miss reports to the council", "Reports to the Council must be accurate.", "unstated"},
	})
}

// A turn the resolve step found no delegation for (the presidency running
// the meeting) never gets an objection; a turn that was not resolved (Kind
// empty, as in the sentence tests) is read on its text alone.
func TestNoObjectionWithoutDelegation(t *testing.T) {
	cb := Default()
	text := "The Council must not exceed its remit."
	for _, tt := range []struct {
		name       string
		st         model.Statement
		want       string
		confidence string
	}{
		{"unresolved", model.Statement{Text: text}, model.PurviewConditional, model.ConfidenceStrong},
		{"resolved delegation", model.Statement{Text: text, Delegation: "Uruguay", Kind: model.KindMemberState}, model.PurviewConditional, model.ConfidenceStrong},
		{"resolved without delegation", model.Statement{Text: text, Kind: model.KindOther}, model.PurviewUnstated, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tags := cb.Tag(tt.st)
			got, _, _ := model.Derive(tags)
			if got != tt.want {
				t.Fatalf("purview = %s, want %s (%+v)", got, tt.want, tags)
			}
			if len(tags) > 0 && tags[0].Confidence != tt.confidence {
				t.Errorf("confidence = %q, want %q", tags[0].Confidence, tt.confidence)
			}
		})
	}
}

func TestConfidenceAndReview(t *testing.T) {
	cb := Default()
	tags, review := cb.Code(model.Statement{Text: "We reject attempts to turn the Security Council into a platform for narrow political agendas."})
	if len(tags) == 0 || tags[0].Confidence != model.ConfidenceWeak {
		t.Errorf("misuse tag = %+v, want a weak conditional", tags)
	}
	if review {
		t.Error("a tagged statement needs no review flag")
	}
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"The Council met only twice on the subject this year.", true},
		{"The General Assembly should remain the main forum for this.", false}, // contests: tagged
		{"The report describes the situation in the region.", false},
		{"I wish to remind all speakers to limit their statements so that the Council can finish.", false},
	} {
		_, got := cb.Code(model.Statement{Text: tt.text})
		if got != tt.want {
			t.Errorf("needs_review(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// Verbatim records keep the line-end hyphen of the printed page as "- ":
// the word goes on after the space, but a suspended compound does not.
func TestLineEndHyphen(t *testing.T) {
	checkFrameCases(t, []frameCase{
		{"joined", "Austria advocated a victim- centred approach.", []string{"victim_centred"}},
		{"suspended compound", "Troop- and police-contributing countries met.", nil},
	})
	checkPurviewCases(t, []purviewCase{
		{"split council word", "The Security Council should address cross- border threats.", "affirms"},
	})
}
