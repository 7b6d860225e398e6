package locale

import (
	"strconv"
	"time"
)

// welshMonths are the months as Welsh writes them in a date ("1 Rhagfyr
// 2026": no mutation after the day's number).
var welshMonths = [12]string{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
	"Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}

// Date is t's UTC date the GOV.UK way in l: 1 December 2026, or in Welsh
// 1 Rhagfyr 2026. It is the UTC date, at most an hour off UK time: the
// Lambda runtime has no time zone database to do better.
func Date(l Lang, t time.Time) string {
	t = t.UTC()
	if l == Welsh {
		return strconv.Itoa(t.Day()) + " " + welshMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("2 January 2006")
}

// Date is t's date in l, as Date(l, t) writes it: for templates and views
// that hold a language.
func (l Lang) Date(t time.Time) string { return Date(l, t) }
