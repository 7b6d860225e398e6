//lint:file-ignore SA1019 assertions still return cxapi.SynthesisMessage (see messages)

package infra

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/tabledef"
)

// Synthesis is slow (a Node process behind jsii), so every test reads one app
// holding its stacks, synthesized once with cdk-nag applied:
//   - full: every option on (tracing, alarm e-mail, custom domain, the edge
//     with its own web ACL), no zips, so every function uses the placeholder;
//   - fullEdge: the us-east-1 stack the edge option adds to full, holding
//     the web ACL;
//   - minimal: only the sender, and a build directory holding score.zip;
//   - edgeOnly: the sender and the edge with an existing web ACL, no custom
//     domain.
// Tests then read the templates as plain Go data.

type synthesized struct {
	full, fullEdge, minimal, edgeOnly *stackUnderTest
	app                               awscdk.App
}

// existingWebACL is edgeOnly's web ACL, made elsewhere.
const existingWebACL = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/council-acl/11111111-2222-3333-4444-555555555555"

type stackUnderTest struct {
	name     string
	props    *RaspStackProps
	template assertions.Template
	cfn      cfnTemplate
	// functions maps a function name to the logical ids of its Lambda and role.
	functions map[string]functionIDs
	// nagErrors and placeholderWarnings are the annotations, as "path: message".
	nagErrors, placeholderWarnings []string
	// region is the stack's region, or a token when it has no environment.
	region string
}

type functionIDs struct{ function, role string }

type cfnTemplate struct {
	Resources map[string]cfnResource
	Outputs   map[string]map[string]any
}

type cfnResource struct {
	Type                string
	Properties          map[string]any
	DeletionPolicy      string
	UpdateReplacePolicy string
	DependsOn           []string
}

var (
	synthOnce   sync.Once
	synthResult *synthesized
	synthErr    error
	assetDir    string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if assetDir != "" {
		os.RemoveAll(assetDir)
	}
	os.Exit(code)
}

// stacks returns the synthesized stacks, synthesizing them on first use.
func stacks(t *testing.T) *synthesized {
	t.Helper()
	synthOnce.Do(func() { synthResult, synthErr = synthesize() })
	if synthErr != nil {
		t.Fatalf("synthesize: %v", synthErr)
	}
	return synthResult
}

func synthesize() (s *synthesized, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	assetDir, err = os.MkdirTemp("", "rasp-build-")
	if err != nil {
		return nil, err
	}
	if err := writeZip(filepath.Join(assetDir, routes.FnScore+".zip"), "bootstrap", "score build"); err != nil {
		return nil, err
	}

	app := awscdk.NewApp(nil)
	full := &stackUnderTest{name: "full", props: &RaspStackProps{
		StackProps:         awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-2")}},
		TracingEnabled:     true,
		AlarmEmail:         "rasp-alarms@example.gov.uk",
		DomainName:         "rasp.example.gov.uk",
		CertificateArn:     "arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-0000-0000-000000000000",
		Edge:               true,
		EdgeCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/99999999-0000-0000-0000-000000000000",
		MailFrom:           "RASP <rasp@example.gov.uk>",
		AssetDir:           filepath.Join(assetDir, "absent"),
	}}
	minimal := &stackUnderTest{name: "minimal", props: &RaspStackProps{
		MailFrom: "rasp@example.org",
		AssetDir: assetDir,
	}}
	edgeOnly := &stackUnderTest{name: "edgeOnly", props: &RaspStackProps{
		MailFrom:      "rasp@example.org",
		Edge:          true,
		EdgeWebACLArn: existingWebACL,
		AssetDir:      assetDir,
	}}
	built := map[*stackUnderTest]awscdk.Stack{}
	for _, s := range []*stackUnderTest{full, minimal, edgeOnly} {
		built[s] = NewRaspStack(app, "Rasp"+strings.ToUpper(s.name[:1])+s.name[1:], s.props)
	}
	fullEdge := &stackUnderTest{name: "fullEdge", props: full.props}
	edgeStack, ok := app.Node().TryFindChild(jsii.String(edgeStackID("RaspFull"))).(awscdk.Stack)
	if !ok {
		return nil, fmt.Errorf("full: no stack %s", edgeStackID("RaspFull"))
	}
	built[fullEdge] = edgeStack
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
		Reports: jsii.Bool(false),
	}), nil)

	for s, stack := range built {
		s.template = assertions.Template_FromStack(stack, nil)
		raw, err := json.Marshal(s.template.ToJSON())
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &s.cfn); err != nil {
			return nil, err
		}
		annotations := assertions.Annotations_FromStack(stack)
		s.nagErrors = messages(annotations.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))))
		s.region = *stack.Region()
		if s == fullEdge {
			continue
		}
		s.functions = map[string]functionIDs{}
		for _, name := range routes.Functions() {
			fn, ok := stack.Node().TryFindChild(jsii.String(functionID(name) + "Function")).(awslambda.Function)
			if !ok {
				return nil, fmt.Errorf("%s: no construct for function %q", s.name, name)
			}
			s.functions[name] = functionIDs{
				function: logicalID(stack, fn.Node().DefaultChild()),
				role:     logicalID(stack, fn.Role().Node().DefaultChild()),
			}
		}
		s.placeholderWarnings = messages(annotations.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("rasp:placeholder-code"))))
	}
	return &synthesized{full: full, fullEdge: fullEdge, minimal: minimal, edgeOnly: edgeOnly, app: app}, nil
}

func logicalID(stack awscdk.Stack, c any) string {
	return *stack.GetLogicalId(c.(awscdk.CfnElement))
}

// messages prints cdk-nag's findings. Assertions' Annotations still hand
// them over as cxapi.SynthesisMessage in CDK v2.260; its replacement type is
// not in the Go bindings yet.
func messages(found *[]*cxapi.SynthesisMessage) []string {
	var out []string
	for _, m := range *found {
		out = append(out, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
	}
	return out
}

func writeZip(path, name, content string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := zip.NewWriter(f)
	fw, err := w.Create(name)
	if err == nil {
		_, err = fw.Write([]byte(content))
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ofType returns the resources of one type by logical id.
func (c cfnTemplate) ofType(typ string) map[string]cfnResource {
	out := map[string]cfnResource{}
	for id, r := range c.Resources {
		if r.Type == typ {
			out[id] = r
		}
	}
	return out
}

// one returns the only resource of a type.
func (c cfnTemplate) one(t *testing.T, typ string) (id string, r cfnResource) {
	t.Helper()
	all := c.ofType(typ)
	if len(all) != 1 {
		t.Fatalf("got %d resources of type %s, want 1", len(all), typ)
	}
	for id, r = range all {
	}
	return id, r
}

// refs lists the logical ids a value refers to with Ref or Fn::GetAtt.
func refs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch k {
			case "Ref":
				if s, ok := x.(string); ok && !strings.HasPrefix(s, "AWS::") {
					out = append(out, s)
				}
			case "Fn::GetAtt":
				if l, ok := x.([]any); ok && len(l) > 0 {
					out = append(out, l[0].(string))
				}
			default:
				out = append(out, refs(x)...)
			}
		}
	case []any:
		for _, x := range v {
			out = append(out, refs(x)...)
		}
	}
	return out
}

// strs turns a string-or-list IAM field into a list.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func both(t *testing.T) []*stackUnderTest {
	s := stacks(t)
	return []*stackUnderTest{s.full, s.minimal}
}

func TestResourceCounts(t *testing.T) {
	// GIVEN the full and the minimal stack
	s := stacks(t)
	providedAL2023 := map[string]any{"Runtime": "provided.al2023"}
	tests := []struct {
		stack *stackUnderTest
		typ   string
		props map[string]any
		want  int
	}{
		{s.full, "AWS::DynamoDB::GlobalTable", nil, 1},
		{s.full, "AWS::Lambda::Function", providedAL2023, len(routes.Functions())},
		// No CDK helper functions (log retention, custom resources) but
		// the edge option's cross-region export reader, which reads the
		// web ACL's ARN from us-east-1 at deployment (isCrossRegionHelper).
		{s.full, "AWS::Lambda::Function", nil, len(routes.Functions()) + 1},
		{s.full, "Custom::CrossRegionExportReader", nil, 1},
		{s.edgeOnly, "AWS::Lambda::Function", nil, len(routes.Functions())},
		{s.full, "AWS::ApiGatewayV2::Api", nil, 1},
		{s.full, "AWS::ApiGatewayV2::Route", nil, routeKeys() + 1}, // and $default
		{s.full, "AWS::ApiGatewayV2::Stage", nil, 1},
		{s.full, "AWS::ApiGatewayV2::DomainName", nil, 1},
		{s.full, "AWS::ApiGatewayV2::ApiMapping", nil, 1},
		{s.full, "AWS::Scheduler::Schedule", nil, 1},
		{s.full, "AWS::SQS::Queue", nil, 1},
		{s.full, "AWS::SNS::Topic", nil, 1},
		{s.full, "AWS::SNS::Subscription", map[string]any{"Protocol": "email", "Endpoint": "rasp-alarms@example.gov.uk"}, 1},
		{s.full, "AWS::Logs::LogGroup", map[string]any{"RetentionInDays": 90}, len(routes.Functions()) + 1},
		{s.full, "AWS::Logs::LogGroup", nil, len(routes.Functions()) + 1},
		{s.minimal, "AWS::Lambda::Function", providedAL2023, len(routes.Functions())},
		{s.minimal, "AWS::ApiGatewayV2::Route", nil, routeKeys() + 1},
		{s.minimal, "AWS::ApiGatewayV2::DomainName", nil, 0},
		{s.minimal, "AWS::SNS::Topic", nil, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%v", tt.stack.name, tt.typ, tt.props), func(t *testing.T) {
			// WHEN the resources of the type (and properties) are counted
			var match any
			if tt.props != nil {
				match = map[string]any{"Properties": assertions.Match_ObjectLike(&tt.props)}
			}
			got := len(*tt.stack.template.FindResources(jsii.String(tt.typ), match))
			// THEN there are as many as the design says
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestTableMatchesTabledef(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the one table description
			def := tabledef.Rasp()
			// WHEN the stack's table is read from the template
			_, table := s.cfn.one(t, "AWS::DynamoDB::GlobalTable")

			// THEN keys, attribute types, indexes and TTL are those of tabledef
			type keyElem struct{ AttributeName, KeyType string }
			keySchema := func(pk, sk tabledef.Key) []keyElem {
				out := []keyElem{{pk.Name, "HASH"}}
				if sk.Name != "" {
					out = append(out, keyElem{sk.Name, "RANGE"})
				}
				return out
			}
			attrs := map[string]string{}
			addAttrs := func(keys ...tabledef.Key) {
				for _, k := range keys {
					if k.Name != "" {
						attrs[k.Name] = string(k.Type)
					}
				}
			}
			addAttrs(def.PartitionKey, def.SortKey)
			type gsi struct {
				IndexName  string
				KeySchema  []keyElem
				Projection struct {
					ProjectionType   string
					NonKeyAttributes []string `json:",omitempty"`
				}
			}
			var wantGSIs []gsi
			for _, ix := range def.Indexes {
				g := gsi{IndexName: ix.Name, KeySchema: keySchema(ix.PartitionKey, ix.SortKey)}
				g.Projection.ProjectionType = ix.Projection
				g.Projection.NonKeyAttributes = ix.NonKeyAttributes
				wantGSIs = append(wantGSIs, g)
				addAttrs(ix.PartitionKey, ix.SortKey)
			}

			var got struct {
				KeySchema               []keyElem
				AttributeDefinitions    []struct{ AttributeName, AttributeType string }
				GlobalSecondaryIndexes  []gsi
				TimeToLiveSpecification struct {
					AttributeName string
					Enabled       bool
				}
				BillingMode string
				Replicas    []struct {
					DeletionProtectionEnabled        bool
					PointInTimeRecoverySpecification struct{ PointInTimeRecoveryEnabled bool }
				}
			}
			remarshal(t, table.Properties, &got)

			if want := keySchema(def.PartitionKey, def.SortKey); !slices.Equal(got.KeySchema, want) {
				t.Errorf("key schema: got %v, want %v", got.KeySchema, want)
			}
			gotAttrs := map[string]string{}
			for _, a := range got.AttributeDefinitions {
				gotAttrs[a.AttributeName] = a.AttributeType
			}
			if fmt.Sprint(gotAttrs) != fmt.Sprint(attrs) {
				t.Errorf("attribute definitions: got %v, want %v", gotAttrs, attrs)
			}
			if g, w := jsonString(t, got.GlobalSecondaryIndexes), jsonString(t, wantGSIs); g != w {
				t.Errorf("GSIs: got %s, want %s", g, w)
			}
			if got.TimeToLiveSpecification.AttributeName != def.TTLAttribute || !got.TimeToLiveSpecification.Enabled {
				t.Errorf("TTL: got %+v, want %q enabled", got.TimeToLiveSpecification, def.TTLAttribute)
			}
			if got.BillingMode != "PAY_PER_REQUEST" {
				t.Errorf("billing mode: got %q, want PAY_PER_REQUEST", got.BillingMode)
			}
			if len(got.Replicas) != 1 || !got.Replicas[0].DeletionProtectionEnabled || !got.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled {
				t.Errorf("replicas: got %+v, want one with deletion protection and PITR", got.Replicas)
			}
			if table.DeletionPolicy != "Retain" || table.UpdateReplacePolicy != "Retain" {
				t.Errorf("policies: got DeletionPolicy %q UpdateReplacePolicy %q, want Retain", table.DeletionPolicy, table.UpdateReplacePolicy)
			}
		})
	}
}

func remarshal(t *testing.T, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFunctions(t *testing.T) {
	want := map[string]struct {
		memory, timeout float64
	}{
		routes.FnStart:     {256, 10},
		routes.FnAnswers:   {256, 10},
		routes.FnScore:     {256, 10},
		routes.FnCompare:   {256, 10},
		routes.FnWeb:       {256, 10},
		routes.FnReminders: {256, 60},
	}
	for _, s := range both(t) {
		for _, name := range routes.Functions() {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				// GIVEN a function of the route table
				ids := s.functions[name]
				// WHEN its resource is read from the template
				var fn struct {
					Runtime, Handler    string
					Architectures       []string
					MemorySize, Timeout float64
					Environment         struct{ Variables map[string]any }
					LoggingConfig       struct{ LogFormat string }
					TracingConfig       *struct{ Mode string }
					Role                any
				}
				res := s.cfn.Resources[ids.function]
				remarshal(t, res.Properties, &fn)

				// THEN it is an arm64 provided.al2023 bootstrap, sized per the
				// design, logging JSON to its own group, traced when asked
				if fn.Runtime != "provided.al2023" || fn.Handler != "bootstrap" || !slices.Equal(fn.Architectures, []string{"arm64"}) {
					t.Errorf("runtime: got %s %s %v, want provided.al2023 bootstrap [arm64]", fn.Runtime, fn.Handler, fn.Architectures)
				}
				if w := want[name]; fn.MemorySize != w.memory || fn.Timeout != w.timeout {
					t.Errorf("size: got %v MB %v s, want %v MB %v s", fn.MemorySize, fn.Timeout, w.memory, w.timeout)
				}
				for _, k := range []string{"TABLE_NAME", "BASE_URL", "MAIL_FROM"} {
					if _, ok := fn.Environment.Variables[k]; !ok {
						t.Errorf("environment: %s missing, got %v", k, fn.Environment.Variables)
					}
				}
				if got := refs(fn.Environment.Variables["SES_CONFIGURATION_SET"]); len(got) != 1 || s.cfn.Resources[got[0]].Type != "AWS::SES::ConfigurationSet" {
					t.Errorf("SES_CONFIGURATION_SET: got refs %v, want the configuration set", got)
				}
				if got := refs(fn.Environment.Variables["TABLE_NAME"]); len(got) != 1 || s.cfn.Resources[got[0]].Type != "AWS::DynamoDB::GlobalTable" {
					t.Errorf("TABLE_NAME: got refs %v, want the table", got)
				}
				if got := fn.Environment.Variables["MAIL_FROM"]; got != s.props.MailFrom {
					t.Errorf("MAIL_FROM: got %v, want %q", got, s.props.MailFrom)
				}
				// AND an HTTP function's deadlines end inside its timeout
				if name != routes.FnReminders {
					call, _ := strconv.Atoi(fmt.Sprint(fn.Environment.Variables["DYNAMODB_CALL_TIMEOUT_MS"]))
					req, _ := strconv.Atoi(fmt.Sprint(fn.Environment.Variables["REQUEST_TIMEOUT_MS"]))
					if call <= 0 || req < call || float64(req) > fn.Timeout*1000-1000 {
						t.Errorf("deadlines: got call %d ms, request %d ms with a %v s timeout; want 0 < call ≤ request ≤ timeout − 1 s", call, req, fn.Timeout)
					}
				}
				if fn.LoggingConfig.LogFormat != "JSON" {
					t.Errorf("log format: got %q, want JSON", fn.LoggingConfig.LogFormat)
				}
				logGroups := refs(res.Properties["LoggingConfig"])
				if len(logGroups) != 1 || s.cfn.Resources[logGroups[0]].Properties["RetentionInDays"] != 90.0 {
					t.Errorf("log group: got %v, want one with 90-day retention", logGroups)
				}
				tracing := fn.TracingConfig != nil && fn.TracingConfig.Mode == "Active"
				if tracing != s.props.TracingEnabled {
					t.Errorf("tracing: got %+v, want active=%v", fn.TracingConfig, s.props.TracingEnabled)
				}
				if got := refs(fn.Role); len(got) != 1 || got[0] != ids.role {
					t.Errorf("role: got %v, want %s", got, ids.role)
				}
			})
		}
	}
}

func TestBaseURL(t *testing.T) {
	s := stacks(t)
	// GIVEN a stack with a custom domain and one without
	// WHEN BASE_URL is read from a function
	// THEN it is the custom domain, else the API's own endpoint
	baseURL := func(st *stackUnderTest) any {
		return st.cfn.Resources[st.functions[routes.FnStart].function].Properties["Environment"].(map[string]any)["Variables"].(map[string]any)["BASE_URL"]
	}
	if got := baseURL(s.full); got != "https://rasp.example.gov.uk" {
		t.Errorf("full: got %v, want https://rasp.example.gov.uk", got)
	}
	got := baseURL(s.minimal)
	if ids := refs(got); len(ids) != 1 || s.minimal.cfn.Resources[ids[0]].Type != "AWS::ApiGatewayV2::Api" {
		t.Errorf("minimal: got %v, want the API endpoint", got)
	}
}

func TestRoutesMatchRouteTable(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the route table, as "METHOD /path → function"
			var want []string
			for _, r := range routes.Table() {
				for _, m := range r.Methods() {
					want = append(want, r.KeyFor(m)+" → "+r.Function)
				}
			}
			want = append(want, routes.DefaultKey+" → "+routes.FnWeb) // docs/design.md D5
			sort.Strings(want)
			fnByID := map[string]string{}
			for name, ids := range s.functions {
				fnByID[ids.function] = name
			}

			// WHEN each API route is followed to its integration and function
			var got []string
			for id, route := range s.cfn.ofType("AWS::ApiGatewayV2::Route") {
				target := refs(route.Properties["Target"])
				if len(target) != 1 {
					t.Fatalf("route %s: target refers to %v, want one integration", id, target)
				}
				integration := s.cfn.Resources[target[0]]
				if integration.Type != "AWS::ApiGatewayV2::Integration" ||
					integration.Properties["IntegrationType"] != "AWS_PROXY" ||
					integration.Properties["PayloadFormatVersion"] != "2.0" {
					t.Errorf("route %s: integration %s is %v, want an AWS_PROXY integration with payload 2.0", id, target[0], integration.Properties)
				}
				fns := refs(integration.Properties["IntegrationUri"])
				name := "?"
				if len(fns) == 1 {
					name = fnByID[fns[0]]
				}
				if route.Properties["AuthorizationType"] != nil && route.Properties["AuthorizationType"] != "NONE" {
					t.Errorf("route %s: authorization %v, want none at the gateway", id, route.Properties["AuthorizationType"])
				}
				got = append(got, fmt.Sprintf("%v → %s", route.Properties["RouteKey"], name))
			}
			sort.Strings(got)

			// THEN the routes are exactly the table's, each to its owner
			if !slices.Equal(got, want) {
				t.Errorf("routes:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
		})
	}
}

func TestAPI(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the HTTP API and its stage
			// WHEN they are read from the template
			_, api := s.cfn.one(t, "AWS::ApiGatewayV2::Api")
			_, stage := s.cfn.one(t, "AWS::ApiGatewayV2::Stage")
			// THEN there is no CORS, the $default stage is throttled and
			// access-logged as JSON with the fields operators need
			if api.Properties["CorsConfiguration"] != nil {
				t.Errorf("CORS: got %v, want none", api.Properties["CorsConfiguration"])
			}
			var st struct {
				StageName            string
				AutoDeploy           bool
				DefaultRouteSettings struct{ ThrottlingBurstLimit, ThrottlingRateLimit float64 }
				AccessLogSettings    struct {
					DestinationArn any
					Format         string
				}
			}
			remarshal(t, stage.Properties, &st)
			if st.StageName != "$default" || !st.AutoDeploy {
				t.Errorf("stage: got %q auto-deploy %v, want $default auto-deployed", st.StageName, st.AutoDeploy)
			}
			if st.DefaultRouteSettings.ThrottlingBurstLimit != 200 || st.DefaultRouteSettings.ThrottlingRateLimit != 100 {
				t.Errorf("throttling: got %+v, want burst 200 rate 100", st.DefaultRouteSettings)
			}
			if dest := refs(st.AccessLogSettings.DestinationArn); len(dest) != 1 || s.cfn.Resources[dest[0]].Type != "AWS::Logs::LogGroup" {
				t.Errorf("access log destination: got %v, want a log group", dest)
			}
			var format map[string]string
			if err := json.Unmarshal([]byte(st.AccessLogSettings.Format), &format); err != nil {
				t.Fatalf("access log format %q is not JSON: %v", st.AccessLogSettings.Format, err)
			}
			for field, want := range map[string]string{
				"requestId": "$context.requestId",
				"routeKey":  "$context.routeKey",
				"status":    "$context.status",
				"latency":   "$context.responseLatency",
			} {
				if format[field] != want {
					t.Errorf("access log %s: got %q, want %q", field, format[field], want)
				}
			}
			if _, ok := s.cfn.Outputs["ApiUrl"]; !ok {
				t.Errorf("outputs: got %v, want ApiUrl", s.cfn.Outputs)
			}
			if got := refs(s.cfn.Outputs["TableName"]["Value"]); len(got) != 1 || s.cfn.Resources[got[0]].Type != "AWS::DynamoDB::GlobalTable" {
				t.Errorf("TableName output: got refs %v, want the table", got)
			}
		})
	}
}

func TestRouteThrottles(t *testing.T) {
	// GIVEN the public routes that create, join or mail, by their keys
	want := map[string]bool{
		"POST /api/assessments":  true,
		"POST /api/partnerships": true,
		"POST /api/recover":      true,
		"POST /assessments/new":  true,
		"POST /partnerships/new": true,
		"POST /recover":          true, // the recovery page mails too
	}
	all := stacks(t)
	for _, s := range []*stackUnderTest{all.full, all.minimal, all.edgeOnly} {
		t.Run(s.name, func(t *testing.T) {
			// WHEN the stage's route settings are read
			stageID, stage := s.cfn.one(t, "AWS::ApiGatewayV2::Stage")
			var st struct {
				DefaultRouteSettings struct{ ThrottlingBurstLimit, ThrottlingRateLimit float64 }
				RouteSettings        map[string]struct{ ThrottlingBurstLimit, ThrottlingRateLimit float64 }
			}
			remarshal(t, stage.Properties, &st)

			// THEN exactly those routes are throttled, below the stage's
			// limits, and each names a route of the API
			routeKeys := map[string]string{}
			for id, r := range s.cfn.ofType("AWS::ApiGatewayV2::Route") {
				routeKeys[fmt.Sprint(r.Properties["RouteKey"])] = id
			}
			for key := range want {
				if _, ok := st.RouteSettings[key]; !ok {
					t.Errorf("route settings: %s missing (got %v)", key, st.RouteSettings)
				}
			}
			for key, rs := range st.RouteSettings {
				if !want[key] {
					t.Errorf("route settings: unexpected %s", key)
				}
				if routeKeys[key] == "" {
					t.Errorf("route settings: %s is not a route of the API", key)
				}
				if rs.ThrottlingRateLimit != 10 || rs.ThrottlingBurstLimit != 20 {
					t.Errorf("%s: got rate %v burst %v, want 10 and 20", key, rs.ThrottlingRateLimit, rs.ThrottlingBurstLimit)
				}
				if rs.ThrottlingRateLimit >= st.DefaultRouteSettings.ThrottlingRateLimit || rs.ThrottlingBurstLimit >= st.DefaultRouteSettings.ThrottlingBurstLimit {
					t.Errorf("%s: %+v is not below the stage's %+v", key, rs, st.DefaultRouteSettings)
				}
			}
			// AND the stage waits for those routes (API Gateway refuses
			// settings for a route it does not have yet)
			for key := range want {
				if id := routeKeys[key]; id != "" && !slices.Contains(stage.DependsOn, id) {
					t.Errorf("stage %s: does not depend on route %s (%s); DependsOn %v", stageID, key, id, stage.DependsOn)
				}
			}
		})
	}
}

// statement is one IAM policy statement, normalised.
type statement struct {
	policy    string
	effect    string
	actions   []string
	resources []any
}

// policiesByRole collects the statements of every AWS::IAM::Policy, keyed by
// the logical id of the role it is attached to.
func (c cfnTemplate) policiesByRole(t *testing.T) map[string][]statement {
	t.Helper()
	out := map[string][]statement{}
	for id, p := range c.ofType("AWS::IAM::Policy") {
		var doc struct {
			PolicyDocument struct {
				Statement []struct {
					Effect   string
					Action   any
					Resource any
				}
			}
			Roles []any
		}
		remarshal(t, p.Properties, &doc)
		for _, role := range refs(doc.Roles) {
			for _, st := range doc.PolicyDocument.Statement {
				res, ok := st.Resource.([]any)
				if !ok {
					res = []any{st.Resource}
				}
				out[role] = append(out[role], statement{policy: id, effect: st.Effect, actions: strs(st.Action), resources: res})
			}
		}
	}
	return out
}

func TestLeastPrivilege(t *testing.T) {
	dynamoWrites := []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN every IAM policy and role of the stack
			byRole := s.cfn.policiesByRole(t)

			// WHEN their statements are inspected
			// THEN no action is a wildcard, "*" resources are X-Ray only,
			// and no role carries a managed FullAccess policy
			for role, sts := range byRole {
				for _, st := range sts {
					for _, a := range st.actions {
						if a == "*" || strings.HasSuffix(a, ":*") {
							t.Errorf("%s: wildcard action %q", st.policy, a)
						}
					}
					if slices.Contains(st.resources, any("*")) {
						for _, a := range st.actions {
							if !strings.HasPrefix(a, "xray:") {
								t.Errorf("%s (role %s): action %q on resource *", st.policy, role, a)
							}
						}
					}
				}
			}
			for id, role := range s.cfn.ofType("AWS::IAM::Role") {
				for _, arn := range strs(role.Properties["ManagedPolicyArns"]) {
					if strings.Contains(arn, "FullAccess") {
						t.Errorf("role %s: managed policy %s", id, arn)
					}
				}
				if isCrossRegionHelper(id) {
					// CDK's own provider: its logs, and SSM under /cdk/exports/.
					if got := jsonString(t, role.Properties["ManagedPolicyArns"]); !strings.HasSuffix(got, `:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}]`) {
						t.Errorf("role %s: managed policies %s, want AWSLambdaBasicExecutionRole only", id, got)
					}
					if got := jsonString(t, role.Properties["Policies"]); !strings.Contains(got, ":parameter/cdk/exports/") || strings.Count(got, `"Resource"`) != 1 {
						t.Errorf("role %s: inline policy %s, want SSM parameters under /cdk/exports/ only", id, got)
					}
					continue
				}
				if role.Properties["ManagedPolicyArns"] != nil {
					t.Errorf("role %s: managed policies %v, want only inline grants", id, role.Properties["ManagedPolicyArns"])
				}
			}

			// AND each function may do what its job needs and no more
			tests := []struct {
				function   string
				wantWrites bool
				wantSES    bool
			}{
				{routes.FnStart, true, true},
				{routes.FnAnswers, true, false},
				{routes.FnScore, false, false},
				{routes.FnCompare, false, false},
				{routes.FnWeb, true, true},
				{routes.FnReminders, true, true},
			}
			for _, tt := range tests {
				var actions []string
				for _, st := range byRole[s.functions[tt.function].role] {
					actions = append(actions, st.actions...)
				}
				gotWrites := slices.ContainsFunc(dynamoWrites, func(a string) bool { return slices.Contains(actions, a) })
				if gotWrites != tt.wantWrites {
					t.Errorf("%s: may write to DynamoDB = %v, want %v (actions %v)", tt.function, gotWrites, tt.wantWrites, actions)
				}
				if got := slices.Contains(actions, "dynamodb:GetItem") && slices.Contains(actions, "dynamodb:Query"); !got {
					t.Errorf("%s: cannot read the table (actions %v)", tt.function, actions)
				}
				if got := slices.Contains(actions, "ses:SendEmail"); got != tt.wantSES {
					t.Errorf("%s: may send e-mail = %v, want %v", tt.function, got, tt.wantSES)
				}
				if !slices.Contains(actions, "logs:PutLogEvents") {
					t.Errorf("%s: cannot write its logs (actions %v)", tt.function, actions)
				}
			}
			for _, st := range byRole[s.functions[routes.FnReminders].role] {
				if slices.Contains(st.actions, "ses:SendEmail") {
					if got := jsonString(t, st.resources); !strings.Contains(got, ":identity/") || strings.Contains(got, `"*"`) {
						t.Errorf("reminders: ses:SendEmail on %s, want SES identities only", got)
					}
				}
			}
		})
	}
}

// Mail goes in one configuration set, which suppresses bounced and
// complaining addresses at SES and publishes permanent bounces and
// complaints to the default bus; a rule sends this set's events to the
// reminders function for the table's own suppression list, and every
// sender may send in the set.
func TestMailEventsReachTheSuppressionList(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			setID, set := s.cfn.one(t, "AWS::SES::ConfigurationSet")
			var props struct {
				SuppressionOptions struct{ SuppressedReasons []string }
				DeliveryOptions    struct{ TlsPolicy string }
			}
			remarshal(t, set.Properties, &props)
			if got := props.SuppressionOptions.SuppressedReasons; !slices.Contains(got, "BOUNCE") || !slices.Contains(got, "COMPLAINT") {
				t.Errorf("suppressed reasons %v, want BOUNCE and COMPLAINT", got)
			}
			if props.DeliveryOptions.TlsPolicy != "REQUIRE" {
				t.Errorf("TLS policy %q, want REQUIRE", props.DeliveryOptions.TlsPolicy)
			}
			_, dest := s.cfn.one(t, "AWS::SES::ConfigurationSetEventDestination")
			var d struct {
				ConfigurationSetName any
				EventDestination     struct {
					Enabled                bool
					MatchingEventTypes     []string
					EventBridgeDestination struct{ EventBusArn any }
				}
			}
			remarshal(t, dest.Properties, &d)
			if got := refs(d.ConfigurationSetName); len(got) != 1 || got[0] != setID {
				t.Errorf("event destination of %v, want the set %s", got, setID)
			}
			types := d.EventDestination.MatchingEventTypes
			slices.Sort(types)
			if !d.EventDestination.Enabled || !slices.Equal(types, []string{"bounce", "complaint"}) ||
				!strings.Contains(jsonString(t, d.EventDestination.EventBridgeDestination.EventBusArn), "event-bus/default") {
				t.Errorf("event destination %+v, want bounces and complaints to the default bus", d.EventDestination)
			}
			var rule cfnResource
			for _, r := range s.cfn.ofType("AWS::Events::Rule") {
				if strings.Contains(jsonString(t, r.Properties["EventPattern"]), "aws.ses") {
					rule = r
				}
			}
			pattern := jsonString(t, rule.Properties["EventPattern"])
			for _, want := range []string{`"Email Bounced"`, `"Email Complaint Received"`, `"ses:configuration-set"`, setID} {
				if !strings.Contains(pattern, want) {
					t.Errorf("rule pattern %s: %s missing", pattern, want)
				}
			}
			if got := jsonString(t, rule.Properties["Targets"]); !strings.Contains(got, s.functions[routes.FnReminders].function) {
				t.Errorf("rule targets %s, want the reminders function", got)
			}
			byRole := s.cfn.policiesByRole(t)
			for _, name := range []string{routes.FnStart, routes.FnWeb, routes.FnReminders} {
				granted := false
				for _, st := range byRole[s.functions[name].role] {
					if slices.Contains(st.actions, "ses:SendEmail") && strings.Contains(jsonString(t, st.resources), ":configuration-set/") {
						granted = true
					}
				}
				if !granted {
					t.Errorf("%s may not send in the configuration set", name)
				}
			}
		})
	}
}

func TestReminderSchedule(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the reminder schedule
			_, schedule := s.cfn.one(t, "AWS::Scheduler::Schedule")
			// WHEN its properties are read
			var got struct {
				ScheduleExpression         string
				ScheduleExpressionTimezone string
				State                      string
				FlexibleTimeWindow         struct {
					Mode                   string
					MaximumWindowInMinutes float64
				}
				Target struct {
					Arn              any
					RoleArn          any
					DeadLetterConfig struct{ Arn any }
					RetryPolicy      struct{ MaximumRetryAttempts, MaximumEventAgeInSeconds float64 }
				}
			}
			remarshal(t, schedule.Properties, &got)

			// THEN it runs daily at 07:00 London time within 15 minutes,
			// invokes the reminders function, retries and dead-letters
			if got.ScheduleExpression != "cron(0 7 * * ? *)" || got.ScheduleExpressionTimezone != "Europe/London" || got.State != "ENABLED" {
				t.Errorf("expression: got %q in %q (%s), want cron(0 7 * * ? *) in Europe/London, enabled",
					got.ScheduleExpression, got.ScheduleExpressionTimezone, got.State)
			}
			if got.FlexibleTimeWindow.Mode != "FLEXIBLE" || got.FlexibleTimeWindow.MaximumWindowInMinutes != 15 {
				t.Errorf("window: got %+v, want FLEXIBLE 15", got.FlexibleTimeWindow)
			}
			if target := refs(got.Target.Arn); !slices.Equal(target, []string{s.functions[routes.FnReminders].function}) {
				t.Errorf("target: got %v, want the reminders function", target)
			}
			if got.Target.RetryPolicy.MaximumRetryAttempts != 3 || got.Target.RetryPolicy.MaximumEventAgeInSeconds != 3600 {
				t.Errorf("retry policy: got %+v, want 3 retries within 3600 s", got.Target.RetryPolicy)
			}
			dlq := refs(got.Target.DeadLetterConfig.Arn)
			if len(dlq) != 1 || s.cfn.Resources[dlq[0]].Type != "AWS::SQS::Queue" {
				t.Fatalf("dead-letter queue: got %v, want an SQS queue", dlq)
			}
			if sse := s.cfn.Resources[dlq[0]].Properties["SqsManagedSseEnabled"]; sse != true {
				t.Errorf("dead-letter queue encryption: got SqsManagedSseEnabled=%v, want true", sse)
			}
			if !enforcesSSL(t, s.cfn, "AWS::SQS::QueuePolicy", "Queues", dlq[0]) {
				t.Errorf("dead-letter queue: no policy denying aws:SecureTransport=false")
			}

			// AND a run the function itself fails, after Lambda's async
			// retries, lands in the same queue
			configs := s.cfn.ofType("AWS::Lambda::EventInvokeConfig")
			if len(configs) != 1 {
				t.Fatalf("async invoke configs: got %d, want 1 (reminders)", len(configs))
			}
			for id, c := range configs {
				var cfg struct {
					FunctionName             any
					MaximumRetryAttempts     float64
					MaximumEventAgeInSeconds float64
					DestinationConfig        struct{ OnFailure struct{ Destination any } }
				}
				remarshal(t, c.Properties, &cfg)
				if fn := refs(cfg.FunctionName); !slices.Equal(fn, []string{s.functions[routes.FnReminders].function}) {
					t.Errorf("%s: function %v, want reminders", id, fn)
				}
				if dest := refs(cfg.DestinationConfig.OnFailure.Destination); !slices.Equal(dest, dlq) {
					t.Errorf("%s: on-failure destination %v, want the DLQ %v", id, dest, dlq)
				}
				if cfg.MaximumRetryAttempts != 2 || cfg.MaximumEventAgeInSeconds != 3600 {
					t.Errorf("%s: got %v retries within %v s, want 2 within 3600 s", id, cfg.MaximumRetryAttempts, cfg.MaximumEventAgeInSeconds)
				}
			}
			for _, st := range s.cfn.policiesByRole(t)[s.functions[routes.FnReminders].role] {
				if !slices.ContainsFunc(st.actions, func(a string) bool { return strings.HasPrefix(a, "sqs:") }) {
					continue
				}
				for _, r := range st.resources {
					if ids := refs(r); !slices.Equal(ids, dlq) {
						t.Errorf("reminders role: %v on %v, want only the DLQ", st.actions, r)
					}
				}
			}

			// AND its own role may only invoke the reminders function and
			// dead-letter to the queue
			role := refs(got.Target.RoleArn)
			if len(role) != 1 {
				t.Fatalf("role: got %v, want one", role)
			}
			for _, st := range s.cfn.policiesByRole(t)[role[0]] {
				want := map[string]string{"lambda:InvokeFunction": s.functions[routes.FnReminders].function, "sqs:SendMessage": dlq[0]}
				for _, a := range st.actions {
					owner, ok := want[a]
					if !ok {
						t.Errorf("schedule role: unexpected action %q", a)
						continue
					}
					for _, r := range st.resources {
						if ids := refs(r); !slices.Equal(ids, []string{owner}) {
							t.Errorf("schedule role: %s on %v, want only %s", a, r, owner)
						}
					}
				}
			}
		})
	}
}

// enforcesSSL reports whether a resource policy of typ attached (through
// field) to target denies requests without TLS.
func enforcesSSL(t *testing.T, c cfnTemplate, typ, field, target string) bool {
	t.Helper()
	for _, p := range c.ofType(typ) {
		if !slices.Contains(refs(p.Properties[field]), target) {
			continue
		}
		doc := jsonString(t, p.Properties["PolicyDocument"])
		if strings.Contains(doc, `"Effect":"Deny"`) && strings.Contains(doc, `"aws:SecureTransport":"false"`) {
			return true
		}
	}
	return false
}

func TestAlarms(t *testing.T) {
	for _, s := range both(t) {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the alarms of the stack
			alarms := s.cfn.ofType("AWS::CloudWatch::Alarm")
			var topic string
			for id := range s.cfn.ofType("AWS::SNS::Topic") {
				topic = id
			}

			// WHEN they are grouped by what they watch
			watched := map[string]int{}
			for id, a := range alarms {
				var got struct {
					MetricName, Namespace string
					Dimensions            []struct{ Name string }
					Metrics               []struct {
						MetricStat *struct {
							Metric struct{ MetricName, Namespace string }
						}
					}
					AlarmActions []any
				}
				remarshal(t, a.Properties, &got)
				key := got.Namespace + "/" + got.MetricName
				if got.MetricName == "" && len(got.Metrics) > 0 && got.Metrics[len(got.Metrics)-1].MetricStat != nil {
					m := got.Metrics[len(got.Metrics)-1].MetricStat.Metric
					key = m.Namespace + "/" + m.MetricName
				}
				watched[key]++
				// THEN each notifies the topic when there is one, else nothing
				actions := refs(got.AlarmActions)
				if topic != "" && !slices.Equal(actions, []string{topic}) {
					t.Errorf("alarm %s: actions %v, want the alarm topic %s", id, actions, topic)
				}
				if topic == "" && len(got.AlarmActions) != 0 {
					t.Errorf("alarm %s: actions %v, want none without an alarm e-mail", id, got.AlarmActions)
				}
			}

			// AND every function, the API, the table and the DLQ are watched
			n := len(routes.Functions())
			for key, want := range map[string]int{
				"AWS/Lambda/Errors":                          n,
				"AWS/Lambda/Throttles":                       n,
				"AWS/ApiGateway/5xx":                         1,
				"AWS/DynamoDB/ThrottledRequests":             1,
				"AWS/SQS/ApproximateNumberOfMessagesVisible": 1,
				"RASP/RemindersLeftOver":                     1,
			} {
				if watched[key] != want {
					t.Errorf("alarms on %s: got %d, want %d (all: %v)", key, watched[key], want, watched)
				}
			}
			// AND the reminders' leftover metric is read as the function
			// writes it: its dimension, over a day, any leftover an alarm
			for id, a := range alarms {
				var got struct {
					MetricName, Statistic string
					Period, Threshold     float64
					Dimensions            []struct {
						Name  string
						Value any
					}
				}
				remarshal(t, a.Properties, &got)
				if got.MetricName != "RemindersLeftOver" {
					continue
				}
				if got.Statistic != "Maximum" || got.Period != 86400 || got.Threshold != 1 || len(got.Dimensions) != 1 ||
					got.Dimensions[0].Name != "Function" || got.Dimensions[0].Value != "reminders" {
					t.Errorf("alarm %s: %+v, want the daily maximum of Function=reminders at 1", id, got)
				}
			}
			if topic != "" && !enforcesSSL(t, s.cfn, "AWS::SNS::TopicPolicy", "Topics", topic) {
				t.Errorf("alarm topic: no policy denying aws:SecureTransport=false")
			}
		})
	}
}

func TestFunctionCode(t *testing.T) {
	s := stacks(t)
	code := func(st *stackUnderTest, fn string) string {
		return jsonString(t, st.cfn.Resources[st.functions[fn].function].Properties["Code"])
	}
	// GIVEN a build directory holding only score.zip (minimal) and none (full)
	// WHEN the functions' code is read
	// THEN score deploys its zip, the others share the placeholder, and
	// synth warns for each placeholder
	if code(s.minimal, routes.FnScore) == code(s.minimal, routes.FnStart) {
		t.Errorf("minimal: score and start share code %s, want score.zip for score", code(s.minimal, routes.FnScore))
	}
	if code(s.full, routes.FnScore) != code(s.full, routes.FnStart) {
		t.Errorf("full: score %s and start %s differ, want the placeholder for both", code(s.full, routes.FnScore), code(s.full, routes.FnStart))
	}
	if got, want := len(s.full.placeholderWarnings), len(routes.Functions()); got != want {
		t.Errorf("full: got %d placeholder warnings, want %d: %v", got, want, s.full.placeholderWarnings)
	}
	if got, want := len(s.minimal.placeholderWarnings), len(routes.Functions())-1; got != want {
		t.Errorf("minimal: got %d placeholder warnings, want %d: %v", got, want, s.minimal.placeholderWarnings)
	}
}

func TestCdkNag(t *testing.T) {
	all := stacks(t)
	for _, s := range []*stackUnderTest{all.full, all.fullEdge, all.minimal, all.edgeOnly} {
		t.Run(s.name, func(t *testing.T) {
			// GIVEN the AwsSolutions checks applied to the app
			// WHEN the stack is synthesized
			// THEN there are no unsuppressed findings
			if len(s.nagErrors) != 0 {
				t.Errorf("got %d AwsSolutions errors, want 0:\n%s", len(s.nagErrors), strings.Join(s.nagErrors, "\n"))
			}
		})
	}
}

func TestFunctionSpecsCoverFunctions(t *testing.T) {
	t.Parallel()
	// GIVEN the functions of the route table and the sizing table
	specs := functionSpecs()
	// WHEN they are compared
	// THEN each function has exactly one spec, with memory, timeout and access
	var got, want []string
	for name, spec := range specs {
		got = append(got, name)
		if spec.memoryMB <= 0 || spec.timeout <= 0 || spec.table == 0 {
			t.Errorf("%s: incomplete spec %+v", name, spec)
		}
	}
	want = append(want, routes.Functions()...)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("specs: got %v, want %v", got, want)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	inEnv := awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-2")}}
	tests := []struct {
		name    string
		props   RaspStackProps
		wantErr string // substring; "" for valid
	}{
		{"sender only", RaspStackProps{MailFrom: "rasp@example.gov.uk"}, ""},
		{"sender with name", RaspStackProps{MailFrom: "RASP <rasp@example.gov.uk>"}, ""},
		{"everything", RaspStackProps{MailFrom: "rasp@example.gov.uk", AlarmEmail: "ops@example.gov.uk",
			DomainName: "rasp.example.gov.uk", CertificateArn: "arn:aws:acm:eu-west-2:1:certificate/x"}, ""},
		{"no sender", RaspStackProps{}, "MailFrom is required"},
		{"bad sender", RaspStackProps{MailFrom: "not an address"}, "MailFrom"},
		{"domain without certificate", RaspStackProps{MailFrom: "rasp@example.gov.uk", DomainName: "rasp.example.gov.uk"}, "set together"},
		{"certificate without domain", RaspStackProps{MailFrom: "rasp@example.gov.uk", CertificateArn: "arn:x"}, "set together"},
		{"bad alarm e-mail", RaspStackProps{MailFrom: "rasp@example.gov.uk", AlarmEmail: "ops"}, "AlarmEmail"},
		{"edge with an existing web ACL", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, EdgeWebACLArn: existingWebACL}, ""},
		{"edge with its own web ACL", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, StackProps: inEnv}, ""},
		{"edge with a custom domain", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, StackProps: inEnv, DomainName: "rasp.example.gov.uk",
			CertificateArn: "arn:aws:acm:eu-west-2:1:certificate/x", EdgeCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/y"}, ""},
		{"edge without an environment", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true}, "account and region"},
		{"edge settings without edge", RaspStackProps{MailFrom: "rasp@example.gov.uk", EdgeWebACLArn: existingWebACL}, "need Edge"},
		{"regional web ACL", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true,
			EdgeWebACLArn: "arn:aws:wafv2:eu-west-2:111111111111:regional/webacl/a/b"}, "CLOUDFRONT-scope"},
		{"edge and domain without a CloudFront certificate", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, StackProps: inEnv,
			DomainName: "rasp.example.gov.uk", CertificateArn: "arn:aws:acm:eu-west-2:1:certificate/x"}, "EdgeCertificateArn is required"},
		{"CloudFront certificate outside us-east-1", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, StackProps: inEnv, DomainName: "rasp.example.gov.uk",
			CertificateArn: "arn:aws:acm:eu-west-2:1:certificate/x", EdgeCertificateArn: "arn:aws:acm:eu-west-2:111111111111:certificate/y"}, "us-east-1"},
		{"CloudFront certificate without domain", RaspStackProps{MailFrom: "rasp@example.gov.uk", Edge: true, StackProps: inEnv,
			EdgeCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/y"}, "needs DomainName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN props; WHEN validated; THEN only inconsistent ones fail
			err := tt.props.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestSenderIdentities(t *testing.T) {
	t.Parallel()
	tests := []struct{ mailFrom, wantAddress, wantDomain string }{
		{"rasp@example.gov.uk", "rasp@example.gov.uk", "example.gov.uk"},
		{"RASP <rasp@mail.example.gov.uk>", "rasp@mail.example.gov.uk", "mail.example.gov.uk"},
		{`"Self-assessment, RASP" <noreply@example.org>`, "noreply@example.org", "example.org"},
	}
	for _, tt := range tests {
		// GIVEN a MAIL_FROM; WHEN split; THEN the SES identities are its address and domain
		address, domain, err := senderIdentities(tt.mailFrom)
		if err != nil || address != tt.wantAddress || domain != tt.wantDomain {
			t.Errorf("senderIdentities(%q): got %q %q %v, want %q %q", tt.mailFrom, address, domain, err, tt.wantAddress, tt.wantDomain)
		}
	}
}

// TestLambdaCodeDoesNotImportCDK keeps jsii and the CDK out of the Lambdas.
func TestLambdaCodeDoesNotImportCDK(t *testing.T) {
	t.Parallel()
	// GIVEN the packages the functions are built from
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	// WHEN their dependencies are listed
	cmd := exec.Command("go", "list", "-deps", "./shared/...", "./functions/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// THEN none is the CDK, jsii or this package
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/aws/aws-cdk-go", "github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go", "github.com/openrasp/rasp/infra"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("Lambda code depends on %s", dep)
			}
		}
	}
}

// isCrossRegionHelper reports whether a logical id belongs to the provider
// CDK adds for cross-region references (the edge option's web ACL ARN).
func isCrossRegionHelper(logicalID string) bool {
	return strings.HasPrefix(logicalID, "CustomCrossRegionExport")
}

// routeKeys counts the API Gateway routes of the table: a GET route has a
// HEAD twin.
func routeKeys() int {
	n := 0
	for _, r := range routes.Table() {
		n += len(r.Methods())
	}
	return n
}
