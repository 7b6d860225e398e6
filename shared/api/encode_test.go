package api

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// awkward are strings encoding/json escapes in every way it has.
var awkward = []string{"", "plain", "Brent & Harrow <North>", "Ynys Môn \u2028\u2029", "quote \" back\\slash", "\b\f\n\r\t\x01\x1f", "bad \xff\xfe utf-8", "😀 emoji"}

// fill sets every field reachable from v (a pointer) at random: nil or
// empty or filled for slices, maps and pointers, awkward strings, numbers
// of every kind encoding/json formats differently. A field added to a type
// of the comparison is filled too, so an encoder that forgets it fails.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))])
	case reflect.Int:
		v.SetInt(int64(r.IntN(200) - 50))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Float64:
		fs := []float64{0, 40.7, -3.5, 1e-7, 2.5e21, 1e20, 0.000001, 100, 1.0 / 3}
		v.SetFloat(fs[r.IntN(len(fs))])
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		switch k := r.IntN(4); {
		case k == 0 || depth > 6:
		case k == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), k, k)
			for i := range k {
				fill(r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch k := r.IntN(4); {
		case k == 0 || depth > 6:
		case k == 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for range k + 2 {
				key := reflect.New(v.Type().Key()).Elem()
				fill(r, key, depth+1)
				val := reflect.New(v.Type().Elem()).Elem()
				fill(r, val, depth+1)
				m.SetMapIndex(key, val)
			}
			v.Set(m)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, r.IntN(3)*1e8, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(r, v.Field(i), depth+1)
		}
	}
}

// AppendJSON writes exactly what encoding/json writes, for comparisons
// filled at random down to every field.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(22, 50))
	for i := range 2000 {
		var c Comparison
		if i > 0 {
			fill(r, reflect.ValueOf(&c).Elem(), 0)
		}
		got, want := bothEncodings(t, c)
		if string(got) != string(want) {
			n := 0
			for n < len(got) && n < len(want) && got[n] == want[n] {
				n++
			}
			t.Fatalf("case %d differs at byte %d:\n got %s\nwant %s", i, n, got[max(0, n-60):min(len(got), n+60)], want[max(0, n-60):min(len(want), n+60)])
		}
	}
}

// It fails where encoding/json fails.
func TestAppendJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	t.Parallel()
	nan := Comparison{Areas: []ComparedArea{{Mean: nanValue()}}}
	year := Comparison{Board: &Board{OpenedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}
	for name, c := range map[string]Comparison{"NaN mean": nan, "year 10000": year} {
		if _, err := json.Marshal(c); err == nil {
			t.Fatalf("%s: encoding/json accepts it", name)
		}
		if _, err := c.AppendJSON(nil); err == nil {
			t.Errorf("%s: AppendJSON accepts it, want an error as encoding/json gives", name)
		}
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

// Maps keyed by exactly the comparison's councils, and maps keyed by some
// other set of the same size, are both written in sorted key order.
func TestAppendJSONSortsCouncilKeys(t *testing.T) {
	t.Parallel()
	one, two := 1, 2
	c := Comparison{Councils: []string{"Lewisham", "Brent", "Ynys Môn", "Brent"},
		Areas: []ComparedArea{
			{Scores: map[string]int{"Ynys Môn": 3, "Lewisham": 2, "Brent": 1}},
			{Scores: map[string]int{"Ynys Môn": 3, "Lewisham": 2, "Aberdeen": 1}},
			{Scores: map[string]int{"Lewisham": 2, "Brent": 1}},
		},
		Questions: []ComparedQuestion{{Scores: map[string]*int{"Brent": &one, "Lewisham": nil, "Ynys Môn": &two}, Notes: map[string]string{"Brent": "<b>"}}},
	}
	got, want := bothEncodings(t, c)
	if string(got) != string(want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// bothEncodings is c written by AppendJSON and by encoding/json.
func bothEncodings(t *testing.T, c Comparison) (got, want []byte) {
	t.Helper()
	want, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	return got, want
}
