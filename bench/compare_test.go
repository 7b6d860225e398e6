package main

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkCompareHandler is the compare route's handler, in process, on
// DynamoDB Local (started once), at 3 and 50 councils: what section 1 of
// docs/performance.md times, with allocations and for profiling:
//
//	go test ./bench -run '^$' -bench CompareHandler -benchmem -cpuprofile cpu.out
func BenchmarkCompareHandler(b *testing.B) {
	ctx := context.Background()
	root, err := moduleRoot()
	if err != nil {
		b.Fatal(err)
	}
	e, err := startEnv(ctx, root)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.stop)
	for _, councils := range []int{3, 50} {
		p, err := e.invoke.partnership(ctx, fmt.Sprintf("Bench %d councils", councils))
		if err != nil {
			b.Fatal(err)
		}
		members, err := e.invoke.drafts(ctx, e.bank, councils, fmt.Sprintf("Council of %d", councils), p.JoinCode, true)
		if err != nil {
			b.Fatal(err)
		}
		c, err := e.invoke.prepare("GET", "/api/partnerships/"+p.ID+"/comparison", members[0].Token, nil, 200)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("councils=%d", councils), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.do(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
