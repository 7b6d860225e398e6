package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// GoBench is one parsed `go test -bench` result.
type GoBench struct {
	Name        string  `json:"name"`
	Iterations  int64   `json:"iterations"`
	NsPerOp     float64 `json:"nsPerOp"`
	BytesPerOp  int64   `json:"bytesPerOp"`
	AllocsPerOp int64   `json:"allocsPerOp"`
}

// scalePackage holds BenchmarkScore60 and BenchmarkCompare400x60.
const scalePackage = "./shared/scoring/"

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+([\d.]+) ns/op(?:\s+(\d+) B/op)?(?:\s+(\d+) allocs/op)?`)

// runScale runs the scoring benchmarks and parses their results.
func runScale(ctx context.Context, root string) ([]GoBench, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", scalePackage)
	cmd.Dir = root
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench %s: %v\n%s", scalePackage, err, out)
	}
	return parseBench(string(out))
}

func parseBench(out string) ([]GoBench, error) {
	var res []GoBench
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		b := GoBench{Name: m[1]}
		b.Iterations, _ = strconv.ParseInt(m[2], 10, 64)
		b.NsPerOp, _ = strconv.ParseFloat(m[3], 64)
		b.BytesPerOp, _ = strconv.ParseInt(m[4], 10, 64)
		b.AllocsPerOp, _ = strconv.ParseInt(m[5], 10, 64)
		res = append(res, b)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("no benchmark results in:\n%s", out)
	}
	return res, nil
}
