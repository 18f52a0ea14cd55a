package codebook

import (
	"reflect"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// The cases below come from the blind held-out test (gold/heldout/: health,
// working methods, country human rights, a General Assembly debate on the
// Council's report). Each kind of cue the codebook missed there has a
// positive case in new wording and near-misses that must not fire; none is
// the held-out sentence alone.

func TestHeldOutPurviewKinds(t *testing.T) {
	tests := []purviewCase{
		// The action is the Council's to take ("it is for the Council to").
		{"for council", "It is for the Council to ensure that its sanctions regimes do not impede the delivery of medicines.", "affirms"},
		{"falls to council", "It falls to the Security Council to keep humanitarian corridors open during an epidemic.", "affirms"},
		{"incumbent on council", "It was therefore incumbent on the Council to act before the outbreak spread.", "affirms"},
		{"has the authority", "The Council has the authority to refer the situation to the International Criminal Court, even if some members would not agree.", "affirms"},
		{"not for council", "It is not for the Security Council to define this situation.", "contests"},
		{"does not have the authority", "The Council does not have the authority to set health norms for the whole membership.", "contests"},
		{"near-miss for assembly", "It is for the General Assembly to decide on the modalities of the meeting.", "unstated"},
		{"near-miss authority of states", "National authorities have the authority to declare a health emergency.", "unstated"},

		// Forum word first: "the right venue was the General Assembly".
		{"venue first", "The right venue was the universal membership of the General Assembly and the World Health Assembly.", "contests"},
		{"place first", "The proper place for such negotiations is the Human Rights Council in Geneva.", "contests"},
		{"near-miss venue negated", "The appropriate forum was not the General Assembly, he said.", "unstated"},
		{"near-miss venue council and organ", "The right venue was the Security Council as well as the General Assembly.", "affirms"},

		// "a matter for <organ>", including "..., not for the Council".
		{"matter for organ", "Pandemic preparedness was a matter for the World Health Assembly.", "contests"},
		{"matter for organ not council", "Reform of the Council was a matter for the General Assembly, not for the Council itself.", "contests"},
		{"near-miss matter for both", "That was a matter for both the General Assembly and the Security Council.", "unstated"},
		{"near-miss GA should not wait", "The General Assembly should not wait for the Council to act.", "unstated"},

		// A permitted role limited by "without encroaching on X, the forum for ..." is a limit.
		{"limit with forum", "The Council may address the security dimension of health crises, but without encroaching on the World Health Assembly, which remained the legitimate forum for setting health norms.", "conditional"},
		{"near-miss forum alone", "The World Health Assembly remained the legitimate forum for setting health norms.", "contests"},

		// "only in consultation with / with the consent of"; outcomes of other processes.
		{"only in consultation", "The Council could consider improvements to its working methods only in consultation with the wider membership.", "conditional"},
		{"only with consent", "The Security Council should deploy such missions only with the consent of the host State.", "conditional"},
		{"without pre-empting outcome", "The Council must act without pre-empting the outcome of the intergovernmental negotiations.", "conditional"},
		{"near-miss only consultation no council", "Only in consultation with local communities could vaccination campaigns succeed.", "unstated"},

		// Veto restraint is a call to act, not to stay out.
		{"refrain from veto", "The Council should refrain from using the veto in situations of mass atrocities.", "affirms"},
		{"urged refrain from veto", "He urged the Council to refrain from using the veto when civilians were at risk.", "affirms"},
		{"near-miss refrain from topic", "The Council should refrain from taking up matters of public health.", "contests"},
		{"near-miss urged refrain from topic", "She urged the Council to refrain from dealing with country-specific human rights situations.", "contests"},

		// A commitment to keep acting.
		{"would continue", "The Council would continue to strive to make its work more transparent.", "affirms"},
		{"will remain seized", "The Security Council will remain seized of the matter.", "affirms"},
		{"near-miss other council continues", "The Human Rights Council would continue to examine the situation.", "unstated"},

		// Negated inaction after a modal.
		{"must not look away", "The Council must not look away from such violations.", "affirms"},
		{"should not remain silent", "The Security Council should not remain silent while clinics burn.", "affirms"},
		{"near-miss should not address", "The Council should not address the matter at all.", "contests"},

		// Subsidiary bodies are the Council.
		{"sanctions committee", "The Council’s sanctions committee should investigate the use of forced labour abroad.", "affirms"},
		{"subsidiary bodies", "The Security Council’s subsidiary bodies must integrate health risks into their work.", "affirms"},
		{"near-miss HRC working group", "The Human Rights Council’s working group should visit the country.", "unstated"},
		{"near-miss council of europe group", "The Council of Europe’s working group should meet again.", "unstated"},
	}
	checkPurviewCases(t, tests)
}

func TestHeldOutFrameKinds(t *testing.T) {
	tests := []frameCase{
		{"abductees supported", "The families of the abductees must be supported and reunited with their loved ones.", []string{"victim_centred"}},
		{"hostages care", "Hostages must be released and given medical care.", []string{"victim_centred"}},
		{"near-miss abductees history", "The abductees had been taken in the late 1970s.", nil},
		{"non-refoulement", "States must uphold the principle of non-refoulement.", []string{"migration"}},
		{"forcibly repatriated", "Escapees who were forcibly repatriated faced torture.", []string{"migration"}},
		{"near-miss forced labour", "Forced labour and forced marriage were widespread.", nil},
		{"divert from development", "Treating disease as a security threat would divert attention and funds from development.", []string{"root_causes"}},
		{"financing for development", "Financing for development had to reach the poorest countries.", []string{"root_causes"}},
		{"near-miss vaccine development", "The development of a vaccine had taken less than a year.", nil},
		{"group name masked", "Speaking on behalf of the Accountability, Coherence and Transparency (ACT) group, she said penholders should share the pen.", nil},
		{"near-miss group then accountability", "Speaking on behalf of the group, she said perpetrators must be held accountable.", []string{"criminal_justice"}},
	}
	checkFrameCases(t, tests)
}

func TestHeldOutInstrumentKinds(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"iccpr", "All States had obligations under the International Covenant on Civil and Political Rights.", []string{"ICCPR"}},
		{"icescr", "the International Covenant on Economic, Social and Cultural Rights", []string{"ICESCR"}},
		{"torture", "It had ratified the Convention against Torture.", []string{"CAT"}},
		{"african common position", "as set out in the Ezulwini Consensus and the Sirte Declaration", []string{"EZULWINI_CONSENSUS", "SIRTE_DECLARATION"}},
		{"ihr", "the International Health Regulations (2005) remained the backbone", []string{"IHR"}},
		{"near-miss untoc is not torture", "the Convention against Transnational Organized Crime", []string{"UNTOC"}},
		{"near-miss GA resolution", "In resolution 75/1, leaders pledged to instil new life in the discussions on reform.", nil},
		{"near-miss GA decision", "in keeping with General Assembly decision 62/557", nil},
		{"near-miss note by the president", "the note by the President contained in document S/2017/507", nil},
		{"both numbers", "Recalling resolutions 2177 (2014) and 2439 (2018), he spoke.", []string{"UNSCR_2177", "UNSCR_2439"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, ids := model.Derive(tag(tt.text))
			if len(ids) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("instruments(%q) = %v, want %v", tt.text, ids, tt.want)
			}
		})
	}
}
