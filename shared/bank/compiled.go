package bank

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/openrasp/rasp/shared/locale"
)

// compiledFS is every version of the bank as loaded and validated from the
// YAML in questions/, written as JSON at development time: compiled/<v>.json
// is a version in English and compiled/<v>.<lang>.json its words in another
// language. Decoding JSON is a fraction of the cost of parsing the YAML,
// which every Lambda would otherwise pay on each cold start, and one file
// per version and language lets a function decode only what it uses.
// TestCompiledIsCurrent fails when the files are not what the YAML gives;
// regenerate them with
//
//	go test ./shared/bank -run TestCompiledIsCurrent -update
//
//go:embed compiled
var compiledFS embed.FS

// CompiledDir is the folder of the compiled form in this package.
const CompiledDir = "compiled"

// Compiled returns the library from its compiled form. The YAML stays the
// source of truth: the compiled form is checked against it by a test. The
// current version is decoded now (every function uses it, and an error
// shows at start-up); an older version, or a version's words in another
// language, is decoded on first use (Get, In).
func Compiled() (*Library, error) {
	return fromCompiled(compiledFS, CompiledDir)
}

// MustCompiled is Compiled for main().
func MustCompiled() *Library {
	l, err := Compiled()
	if err != nil {
		panic(fmt.Sprintf("load compiled question bank: %v", err))
	}
	return l
}

// CompiledFiles is the compiled form of l: file name -> contents, as
// Compiled reads them from the compiled folder.
func (l *Library) CompiledFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, v := range l.order {
		b, _ := l.Get(v)
		english := *b
		english.Translations = nil
		data, err := json.Marshal(&english)
		if err != nil {
			return nil, err
		}
		out[v+".json"] = append(data, '\n')
		for _, lang := range b.Languages() {
			if lang == locale.English {
				continue
			}
			data, err := json.Marshal(b.translation(lang))
			if err != nil {
				return nil, err
			}
			out[v+"."+string(lang)+".json"] = append(data, '\n')
		}
	}
	return out, nil
}

// compiledBank is one version in the compiled form, decoded on first use.
type compiledBank struct {
	fsys  fs.FS
	file  string                 // <v>.json
	langs map[locale.Lang]string // language -> <v>.<lang>.json
	once  sync.Once
	b     *Bank
	err   error
}

func (c *compiledBank) decode() (*Bank, error) {
	c.once.Do(func() {
		var b Bank
		if c.err = decodeJSON(c.fsys, c.file, &b); c.err != nil {
			return
		}
		b.buildIndexOnly()
		loads := map[locale.Lang]func() (*Translation, error){}
		for l, file := range c.langs {
			loads[l] = func() (*Translation, error) {
				var t Translation
				if err := decodeJSON(c.fsys, file, &t); err != nil {
					return nil, err
				}
				return &t, nil
			}
		}
		b.buildLanguages(loads)
		c.b = &b
	})
	return c.b, c.err
}

// get is decode for Get: the compiled form is checked by
// TestCompiledIsCurrent, so a version that cannot be decoded is a build
// that should not have shipped.
func (c *compiledBank) get() *Bank {
	b, err := c.decode()
	if err != nil {
		panic(fmt.Sprintf("load compiled question bank: %v", err))
	}
	return b
}

func decodeJSON(fsys fs.FS, file string, v any) error {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", file, err)
	}
	return nil
}

// fromCompiled lists the compiled form in dir and decodes the current
// version.
func fromCompiled(fsys fs.FS, dir string) (*Library, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("compiled question bank: %w", err)
	}
	l := &Library{compiled: map[string]*compiledBank{}}
	type translation struct{ version, lang, file string }
	var translations []translation
	for _, e := range entries {
		name, file := e.Name(), path.Join(dir, e.Name())
		base, ok := strings.CutSuffix(name, ".json")
		if !ok {
			return nil, fmt.Errorf("compiled question bank: %s is not JSON", name)
		}
		version, lang, translated := strings.Cut(base, ".")
		if !versionPattern.MatchString(version) {
			return nil, fmt.Errorf("compiled question bank: %s does not start with a version", name)
		}
		if translated {
			if l := locale.Lang(lang); !l.Valid() || l == locale.English {
				return nil, fmt.Errorf("compiled question bank: %s: %q is not a language a translation can be in", name, lang)
			}
			translations = append(translations, translation{version, lang, file})
			continue
		}
		l.compiled[version] = &compiledBank{fsys: fsys, file: file, langs: map[locale.Lang]string{}}
		l.order = append(l.order, version)
	}
	if len(l.order) == 0 {
		return nil, fmt.Errorf("compiled question bank has no versions")
	}
	for _, t := range translations {
		c, ok := l.compiled[t.version]
		if !ok {
			return nil, fmt.Errorf("compiled question bank: %s translates %s, which is not there", t.file, t.version)
		}
		c.langs[locale.Lang(t.lang)] = t.file
	}
	slices.SortFunc(l.order, func(a, b string) int { return versionNumber(a) - versionNumber(b) })
	current := l.compiled[l.order[len(l.order)-1]]
	if _, err := current.decode(); err != nil {
		return nil, err
	}
	return l, nil
}
