package lambdas

import (
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
)

// QuestionBank is the published shape of a bank version.
func QuestionBank(b *bank.Bank) api.QuestionBank {
	out := api.QuestionBank{Version: b.Version}
	for _, a := range b.Areas {
		area := api.Area{ID: a.ID, Title: a.Title, Description: a.Description}
		for _, q := range a.Questions {
			area.Questions = append(area.Questions, api.Question{ID: q.ID, Text: q.Text, Guidance: q.Guidance, Levels: q.Levels, Weight: q.Weight})
		}
		out.Areas = append(out.Areas, area)
	}
	for _, f := range b.Forms {
		out.Forms = append(out.Forms, api.Form{ID: f.ID, Title: f.Title, Description: f.Description, Compromise: f.Compromise, Benefit: f.Benefit, Targets: f.Targets})
	}
	return out
}
