package listpage_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/listpage"
)

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "a" + strconv.Itoa(i+1)
	}
	return out
}

func same(s string) string { return s }

// Paging through with any limit yields every item once, in order.
func TestPagesCoverTheListOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 50, 51, 120} {
		for _, limit := range []int{1, 2, 7, 50, 200} {
			items := ids(n)
			var got []string
			cursor, pages := "", 0
			for {
				r, err := listpage.Parse(strconv.Itoa(limit), cursor)
				if err != nil {
					t.Fatalf("n=%d limit=%d: Parse(%q): %v", n, limit, cursor, err)
				}
				page, next, err := listpage.Of(items, same, r)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > limit {
					t.Fatalf("n=%d limit=%d: page of %d", n, limit, len(page))
				}
				got, pages = append(got, page...), pages+1
				if next == "" {
					break
				}
				if pages > n+1 {
					t.Fatalf("n=%d limit=%d: still paging after %d pages", n, limit, pages)
				}
				cursor = next
			}
			if !slices.Equal(got, items) && !(n == 0 && len(got) == 0) {
				t.Errorf("n=%d limit=%d: got %v, want %v", n, limit, got, items)
			}
			if want := max(1, (n+limit-1)/limit); pages != want {
				t.Errorf("n=%d limit=%d: %d pages, want %d", n, limit, pages, want)
			}
		}
	}
}

// An item added while a client pages through comes on a later page; none
// is repeated.
func TestItemAddedWhilePagingIsNotRepeated(t *testing.T) {
	items := ids(5)
	r, _ := listpage.Parse("3", "")
	first, next, _ := listpage.Of(items, same, r)
	items = append(items, "a6")
	r, _ = listpage.Parse("3", next)
	second, next, _ := listpage.Of(items, same, r)
	if got := append(first, second...); !slices.Equal(got, ids(6)) || next != "" {
		t.Errorf("got %v (next %q), want a1..a6 and no next page", got, next)
	}
}

func TestBadPagesAreRefusedWithTheFieldNamed(t *testing.T) {
	cases := []struct{ limit, cursor, field string }{
		{"0", "", "limit"},
		{"201", "", "limit"},
		{"ten", "", "limit"},
		{"", "not a cursor!", "cursor"},
		{"", "YWZ0ZXI6", "cursor"},    // "after:" with no id
		{"", "b2Zmc2V0OjM", "cursor"}, // "offset:3", another form
	}
	for _, c := range cases {
		_, err := listpage.Parse(c.limit, c.cursor)
		if got := failure.CodeOf(err); got != failure.Invalid {
			t.Errorf("limit %q cursor %q: got %v, want invalid", c.limit, c.cursor, err)
			continue
		}
		fe, ok := failure.As(err)
		if !ok || len(fe.Fields) != 1 || fe.Fields[0].Field != c.field {
			t.Errorf("limit %q cursor %q: fields %+v, want %s", c.limit, c.cursor, fe, c.field)
		}
	}
	// A cursor naming an item that is gone.
	r, err := listpage.Parse("", listpage.Cursor("a9"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := listpage.Of(ids(3), same, r); failure.CodeOf(err) != failure.Invalid {
		t.Errorf("cursor past an erased item: got %v, want invalid", err)
	}
}

func TestDefaultLimit(t *testing.T) {
	r, err := listpage.Parse("", "")
	if err != nil || r.Limit != listpage.DefaultLimit || r.After != "" {
		t.Errorf("got %+v %v, want the default limit from the start", r, err)
	}
}
