package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
)

// A domain message that quotes a date (a deadline too far ahead) says the
// date the reader's way in the problem document: the English as the
// domain wrote it, the Welsh from the catalogue with a Welsh month.
func TestProblemQuotesADateInTheReadersLanguage(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	_, err := partnership.DeadlineInput{Date: "2028-01-01"}.Closes(now)
	if err == nil {
		t.Fatal("a deadline two years ahead was taken")
	}
	en := httpapi.Problem(err, "r1", locale.English).Body
	cy := httpapi.Problem(err, "r1", locale.Welsh).Body
	if !strings.Contains(en, "The deadline must be within 6 months: 3 June 2027 or earlier") {
		t.Errorf("English problem: %s", en)
	}
	if !strings.Contains(cy, "Rhaid i’r dyddiad cau fod o fewn 6 mis: 3 Mehefin 2027 neu’n gynt") || strings.Contains(cy, "June") {
		t.Errorf("Welsh problem: %s", cy)
	}
}
