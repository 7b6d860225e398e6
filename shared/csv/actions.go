package csv

import (
	stdcsv "encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
)

// ActionsFilename is the register download's file name.
const ActionsFilename = "rasp-actions.csv"

// Actions is the joint action register of p, one row per action: what,
// the linked questions, the owning councils, role and person, due date,
// status, whether it is overdue on the day of now, the round it was created
// in, and its progress notes (dated, one per line; the administrator's
// signed in l). Every typed cell goes through the formula-injection guard.
func Actions(l locale.Lang, p *partnership.Partnership, as []action.Action, now time.Time) string {
	var sb strings.Builder
	w := stdcsv.NewWriter(&sb)
	_ = w.Write(header(l, "action_id", "title", "question_ids", "owner_councils", "owner_role", "owner", "due", "status", "overdue", "round", "progress_notes"))
	for _, a := range as {
		var owners, notes []string
		for _, sid := range a.OwnerSeats {
			if st, ok := p.Seat(sid); ok {
				owners = append(owners, st.LabelIn(l))
			}
		}
		for _, n := range a.Notes {
			by := n.By
			if by == partnership.AdminName {
				by = text(l, "actions.note.byAdmin")
			}
			notes = append(notes, n.At.Format(action.DateLayout)+" "+by+": "+n.Text)
		}
		overdue := yesNo(l, a.Overdue(now))
		_ = w.Write([]string{a.ID, safeCell(a.Title), strings.Join(a.Questions, " "), safeCell(strings.Join(owners, "; ")),
			safeCell(a.OwnerRole), safeCell(a.Owner), a.Due.Format(action.DateLayout), string(a.Status), overdue,
			strconv.Itoa(a.Round), safeCell(strings.Join(notes, "\n"))})
	}
	w.Flush()
	return sb.String()
}
