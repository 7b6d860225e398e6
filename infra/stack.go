// Package infra is the AWS CDK stack of RASP. It reads like the architecture:
// one DynamoDB table described by shared/tabledef, one Lambda per function in
// shared/routes, an HTTP API whose routes are generated from the route table,
// a daily schedule for the reminders and the alarms that watch all of it.
//
// Nothing under shared/ or functions/ may import this package: it pulls in
// jsii and the CDK, which the Lambdas must not carry.
package infra

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsschedulertargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/tabledef"
)

// RaspStackProps configures one deployment. Only MailFrom is required.
type RaspStackProps struct {
	awscdk.StackProps
	// TracingEnabled turns on X-Ray active tracing for every function.
	TracingEnabled bool
	// AlarmEmail receives every alarm through an SNS topic. No topic when empty.
	AlarmEmail string
	// DomainName is an optional custom domain for the API (rasp.example.gov.uk).
	DomainName string
	// CertificateArn is the ACM certificate for DomainName, in the stack's region.
	CertificateArn string
	// MailFrom is MAIL_FROM: an SES-verified sender, "RASP <rasp@example.gov.uk>".
	MailFrom string
	// SesIdentityArn is the SES identity the reminders may send as. When empty,
	// the address and domain identities of MailFrom in the stack's region.
	SesIdentityArn string
	// BaseURL is BASE_URL, the public origin used in links. When empty,
	// https://DomainName, else the API's execute-api endpoint.
	BaseURL string
	// CORSOrigins is CORS_ORIGINS: comma-separated origins whose pages may
	// call every API route (docs/api-contract.md). None when empty.
	CORSOrigins string
	// Edge puts CloudFront with an AWS WAF web ACL in front of the API
	// (docs/operations.md, "Edge protection (optional)"). Off by default.
	Edge bool
	// EdgeWebACLArn is an existing CLOUDFRONT-scope web ACL (in us-east-1)
	// for the distribution. When empty, NewRaspStack adds a stack <id>Edge
	// in us-east-1 holding RASP's own web ACL.
	EdgeWebACLArn string
	// EdgeCertificateArn is the ACM certificate for DomainName in
	// us-east-1, for CloudFront. Required with Edge and DomainName.
	EdgeCertificateArn string
	// AssetDir holds <function>.zip from `make build`. When empty, build/ at
	// the module root.
	AssetDir string
}

// Validate reports settings that cannot make a working stack.
func (p *RaspStackProps) Validate() error {
	var errs []error
	if p.MailFrom == "" {
		errs = append(errs, errors.New("MailFrom is required: an SES-verified sender such as \"RASP <rasp@example.gov.uk>\""))
	} else if _, _, err := senderIdentities(p.MailFrom); err != nil {
		errs = append(errs, err)
	}
	if (p.DomainName == "") != (p.CertificateArn == "") {
		errs = append(errs, errors.New("DomainName and CertificateArn must be set together"))
	}
	if p.AlarmEmail != "" {
		if _, err := mail.ParseAddress(p.AlarmEmail); err != nil {
			errs = append(errs, fmt.Errorf("AlarmEmail %q: %w", p.AlarmEmail, err))
		}
	}
	errs = append(errs, p.validateEdge()...)
	return errors.Join(errs...)
}

// tableAccess is what a function may do to the table.
type tableAccess int

const (
	readOnly tableAccess = iota + 1
	readWrite
)

// functionSpec sizes one Lambda and says what it may touch.
type functionSpec struct {
	memoryMB  float64
	timeout   time.Duration
	table     tableAccess
	sendsMail bool
	// env holds settings beyond TABLE_NAME, BASE_URL and MAIL_FROM.
	env map[string]string
}

// functionSpecs is the one place that sizes the functions and grants them
// access. Every name in routes.Functions() has an entry.
func functionSpecs() map[string]functionSpec {
	return map[string]functionSpec{
		// start mails the admin link and invitations of a new partnership,
		// and the links of "send me a new link".
		routes.FnStart:   {memoryMB: 256, timeout: 10 * time.Second, table: readWrite, sendsMail: true},
		routes.FnAnswers: {memoryMB: 256, timeout: 10 * time.Second, table: readWrite},
		routes.FnScore:   {memoryMB: 256, timeout: 10 * time.Second, table: readOnly},
		routes.FnCompare: {memoryMB: 256, timeout: 10 * time.Second, table: readOnly},
		// The web pages start assessments and save answers, so they write.
		// web e-mails the private link when an address is given.
		routes.FnWeb: {memoryMB: 256, timeout: 10 * time.Second, table: readWrite, sendsMail: true},
		// The reminders stop taking new work after 40 s so the batch in hand
		// finishes inside the 60 s timeout.
		routes.FnReminders: {memoryMB: 256, timeout: 60 * time.Second, table: readWrite, sendsMail: true,
			env: map[string]string{"REMINDER_BUDGET_SECONDS": "40"}},
	}
}

// Limits of the API, the alarms and the reminder schedule.
const (
	logRetention        = awslogs.RetentionDays_THREE_MONTHS // 90 days
	apiBurstLimit       = 200
	apiRateLimit        = 100 // requests per second, steady state
	api5xxThreshold     = 5   // 5xx responses in five minutes
	reminderHour        = "7" // 07:00 Europe/London
	reminderWindow      = 15 * time.Minute
	reminderRetries     = 3
	reminderMaxEventAge = time.Hour
)

// The routes that create, join or mail (limitedRoutes) get a tenth of
// the stage's rate each, so a flood of drafts, join-code guesses or recovery
// mails cannot use up the stage's limit on its own. These are totals for all
// clients together; per-client limits are the application's (429) and,
// optionally, the edge's (edge.go).
const (
	routeBurstLimit = 20
	routeRateLimit  = 10
)

// NewRaspStack builds the whole service. It panics if props fail Validate,
// as CDK constructs do on invalid input.
func NewRaspStack(scope constructs.Construct, id string, props *RaspStackProps) awscdk.Stack {
	if props == nil {
		props = &RaspStackProps{}
	}
	if err := props.Validate(); err != nil {
		panic(fmt.Sprintf("infra: invalid RaspStackProps: %v", err))
	}
	stackProps := props.StackProps
	var webACLArn *string
	if props.Edge {
		webACLArn = jsii.String(props.EdgeWebACLArn)
		if props.EdgeWebACLArn == "" {
			webACLArn = newEdgeStack(scope, id, props).AttrArn()
			stackProps.CrossRegionReferences = jsii.Bool(true)
		}
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &stackProps)

	table := newTable(stack, tabledef.Rasp())
	api := awsapigatewayv2.NewHttpApi(stack, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		ApiName:     stack.StackName(),
		Description: jsii.String("RASP: JSON API and web pages"),
		// The stage below carries throttling and access logs, which the
		// default stage cannot.
		CreateDefaultStage: jsii.Bool(false),
		// Behind CloudFront with a custom domain, the API answers only on
		// that domain's mapping, so requests cannot go around the web ACL
		// through execute-api. Without a custom domain CloudFront's origin
		// is the execute-api endpoint, which then stays open.
		DisableExecuteApiEndpoint: jsii.Bool(props.Edge && props.DomainName != ""),
	})
	var domain awsapigatewayv2.DomainName
	if props.DomainName != "" {
		domain = awsapigatewayv2.NewDomainName(stack, jsii.String("ApiDomain"), &awsapigatewayv2.DomainNameProps{
			DomainName:  jsii.String(props.DomainName),
			Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("ApiCertificate"), jsii.String(props.CertificateArn)),
		})
	}
	var cdn awscloudfront.Distribution
	var originSecret awssecretsmanager.Secret
	if props.Edge {
		originSecret = newOriginSecret(stack)
		cdn = newDistribution(stack, props, api, domain, webACLArn, originSecret)
	}

	env := map[string]*string{
		"TABLE_NAME": table.TableName(),
		"BASE_URL":   baseURL(props, api, cdn),
		"MAIL_FROM":  jsii.String(props.MailFrom),
	}
	if props.CORSOrigins != "" {
		env["CORS_ORIGINS"] = jsii.String(props.CORSOrigins)
	}
	mailSet := newMailConfigurationSet(stack)
	env["SES_CONFIGURATION_SET"] = mailSet.ConfigurationSetName()
	code := newCodeSource(props.AssetDir)
	specs := functionSpecs()
	functions := map[string]awslambda.Function{}
	for _, name := range routes.Functions() {
		spec, ok := specs[name]
		if !ok {
			panic(fmt.Sprintf("infra: function %q has no entry in functionSpecs", name))
		}
		fnEnv := env
		if cdn != nil && len(routes.For(name)) > 0 {
			// HTTP functions read the client's address for the per-client
			// limit from CloudFront's header, not from sourceIp (an edge
			// server's address), and refuse requests without the origin
			// secret, which did not come through CloudFront.
			fnEnv = maps.Clone(env)
			fnEnv["CLIENT_IP_HEADER"] = jsii.String(clientIPHeader)
			fnEnv["EDGE_ORIGIN_SECRET"] = originSecret.SecretValue().UnsafeUnwrap()
		}
		fn := newFunction(stack, name, spec, code, fnEnv, props.TracingEnabled)
		switch spec.table {
		case readOnly:
			table.GrantReadData(fn)
		case readWrite:
			table.GrantReadWriteData(fn)
		}
		if spec.sendsMail {
			fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ses:SendEmail"),
				// SES checks the configuration set a mail is sent in as
				// well as the identity it is sent from.
				Resources: mailResources(stack, props, mailSet),
			}))
		}
		functions[name] = fn
	}

	apiRoutes := addRoutes(api, functions, routes.Table())
	newStage(stack, api, domain, apiRoutes)

	dlq := newReminderSchedule(stack, functions[routes.FnReminders])
	newMailEventRule(stack, mailSet, functions[routes.FnReminders])
	newAlarms(stack, props.AlarmEmail, functions, api, table, dlq)

	var apiURL *string
	switch {
	case domain != nil:
		apiURL = jsii.String("https://" + props.DomainName)
		target := domain.RegionalDomainName()
		if cdn != nil {
			// DNS points at CloudFront; the regional domain is its origin.
			target = cdn.DistributionDomainName()
		}
		awscdk.NewCfnOutput(stack, jsii.String("ApiDomainTarget"), &awscdk.CfnOutputProps{
			Description: jsii.String("Point a CNAME (or Route 53 alias) for the custom domain here"),
			Value:       target,
		})
	case cdn != nil:
		apiURL = jsii.String("https://" + *cdn.DistributionDomainName())
	default:
		// (ApiEndpoint panics when the execute-api endpoint is disabled.)
		apiURL = api.ApiEndpoint()
	}
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: apiURL})
	awscdk.NewCfnOutput(stack, jsii.String("TableName"), &awscdk.CfnOutputProps{Value: table.TableName()})

	suppressNagFindings(stack, props, functions, table, api, dlq)
	return stack
}

// newTable builds the table from its one description, so what runs against
// DynamoDB Local is what deploys.
func newTable(scope constructs.Construct, def tabledef.Table) awsdynamodb.TableV2 {
	var indexes []*awsdynamodb.GlobalSecondaryIndexPropsV2
	for _, ix := range def.Indexes {
		gsi := &awsdynamodb.GlobalSecondaryIndexPropsV2{
			IndexName:      jsii.String(ix.Name),
			PartitionKey:   attribute(ix.PartitionKey),
			SortKey:        attribute(ix.SortKey),
			ProjectionType: projection(ix.Projection),
		}
		if len(ix.NonKeyAttributes) > 0 {
			gsi.NonKeyAttributes = jsii.Strings(ix.NonKeyAttributes...)
		}
		indexes = append(indexes, gsi)
	}
	props := &awsdynamodb.TablePropsV2{
		PartitionKey:           attribute(def.PartitionKey),
		SortKey:                attribute(def.SortKey),
		GlobalSecondaryIndexes: &indexes,
		Billing:                awsdynamodb.Billing_OnDemand(nil),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(true),
		// Assessments are council records: never deleted by a stack update
		// or `cdk destroy`.
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	}
	if def.TTLAttribute != "" {
		props.TimeToLiveAttribute = jsii.String(def.TTLAttribute)
	}
	return awsdynamodb.NewTableV2(scope, jsii.String("Table"), props)
}

// attribute converts a key; the zero Key (no sort key) gives nil.
func attribute(k tabledef.Key) *awsdynamodb.Attribute {
	if k.Name == "" {
		return nil
	}
	types := map[tabledef.AttrType]awsdynamodb.AttributeType{
		tabledef.String: awsdynamodb.AttributeType_STRING,
		tabledef.Number: awsdynamodb.AttributeType_NUMBER,
	}
	t, ok := types[k.Type]
	if !ok {
		panic(fmt.Sprintf("infra: key %q has unknown type %q", k.Name, k.Type))
	}
	return &awsdynamodb.Attribute{Name: jsii.String(k.Name), Type: t}
}

func projection(p string) awsdynamodb.ProjectionType {
	switch p {
	case "ALL", "":
		return awsdynamodb.ProjectionType_ALL
	case "KEYS_ONLY":
		return awsdynamodb.ProjectionType_KEYS_ONLY
	case "INCLUDE":
		return awsdynamodb.ProjectionType_INCLUDE
	}
	panic(fmt.Sprintf("infra: unknown index projection %q", p))
}

// codeSource finds each function's zip, or the placeholder that lets the
// stack synthesize before `make build` has run.
type codeSource struct {
	assetDir, placeholderDir string
}

func newCodeSource(assetDir string) codeSource {
	root, err := moduleRoot()
	if err != nil {
		panic(fmt.Sprintf("infra: %v", err))
	}
	if assetDir == "" {
		assetDir = filepath.Join(root, "build")
	}
	return codeSource{assetDir: assetDir, placeholderDir: filepath.Join(root, "infra", "testdata", "placeholder")}
}

// code returns build/<name>.zip when it exists; otherwise the placeholder,
// and placeholder is true.
func (c codeSource) code(name string) (code awslambda.Code, placeholder bool) {
	zip := filepath.Join(c.assetDir, name+".zip")
	if _, err := os.Stat(zip); err == nil {
		return awslambda.Code_FromAsset(jsii.String(zip), nil), false
	}
	return awslambda.Code_FromAsset(jsii.String(c.placeholderDir), nil), true
}

// moduleRoot walks up from the working directory to go.mod, so the app works
// from the repository root (`go run ./infra/app`), from infra/ (the CDK CLI)
// and under `go test`.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// functionID is the construct id prefix of a function: "start" → "Start".
func functionID(name string) string {
	return strings.ToUpper(name[:1]) + name[1:]
}

// newFunction builds one Lambda with its own log group and its own role.
// The role starts empty (no AWSLambdaBasicExecutionRole): it may write to
// its log group, and the caller adds the table and SES grants.
func newFunction(scope constructs.Construct, name string, spec functionSpec, src codeSource, shared map[string]*string, tracing bool) awslambda.Function {
	id := functionID(name)
	logs := awslogs.NewLogGroup(scope, jsii.String(id+"FunctionLogs"), &awslogs.LogGroupProps{
		Retention: logRetention,
	})
	role := awsiam.NewRole(scope, jsii.String(id+"FunctionRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("RASP " + name + " function"),
	})
	logs.GrantWrite(role)

	env := map[string]*string{}
	for k, v := range shared {
		env[k] = v
	}
	for k, v := range spec.env {
		env[k] = jsii.String(v)
	}
	if spec.timeout <= 10*time.Second {
		// HTTP functions: each DynamoDB call and each request ends well
		// inside the function's timeout, so a slow database is answered
		// 503 + Retry-After by the function, not a bare 5xx by API Gateway.
		env["DYNAMODB_CALL_TIMEOUT_MS"] = jsii.String(fmt.Sprint((spec.timeout * 3 / 10).Milliseconds()))
		env["REQUEST_TIMEOUT_MS"] = jsii.String(fmt.Sprint((spec.timeout - 2*time.Second).Milliseconds()))
	}
	code, placeholder := src.code(name)
	props := &awslambda.FunctionProps{
		Description:   jsii.String("RASP " + name),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          code,
		MemorySize:    jsii.Number(spec.memoryMB),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(spec.timeout.Seconds())),
		Environment:   &env,
		Role:          role,
		LogGroup:      logs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
	}
	if tracing {
		props.Tracing = awslambda.Tracing_ACTIVE
	}
	fn := awslambda.NewFunction(scope, jsii.String(id+"Function"), props)
	if placeholder {
		awscdk.Annotations_Of(fn).AddWarningV2(jsii.String("rasp:placeholder-code"), jsii.String(
			fmt.Sprintf("%s.zip not found in %s: this function uses a placeholder that fails every invocation. Run `make build` before deploying.", name, src.assetDir)))
	}
	return fn
}

// baseURL is the public origin for links in e-mails and pages.
func baseURL(props *RaspStackProps, api awsapigatewayv2.HttpApi, cdn awscloudfront.Distribution) *string {
	switch {
	case props.BaseURL != "":
		return jsii.String(props.BaseURL)
	case props.DomainName != "":
		return jsii.String("https://" + props.DomainName)
	case cdn != nil:
		return jsii.String("https://" + *cdn.DistributionDomainName())
	}
	return api.ApiEndpoint()
}

// senderIdentities returns the address and domain of a MAIL_FROM value.
func senderIdentities(mailFrom string) (address, domain string, err error) {
	a, err := mail.ParseAddress(mailFrom)
	if err != nil {
		return "", "", fmt.Errorf("MailFrom %q: %w", mailFrom, err)
	}
	at := strings.LastIndex(a.Address, "@")
	if at < 0 || at == len(a.Address)-1 {
		return "", "", fmt.Errorf("MailFrom %q: no domain", mailFrom)
	}
	return a.Address, a.Address[at+1:], nil
}

// sesIdentityArns is where the reminders may send from. SES authorizes a
// send against the address identity when one is verified, else the domain
// identity, so both are granted; nothing else is.
func sesIdentityArns(stack awscdk.Stack, props *RaspStackProps) *[]*string {
	if props.SesIdentityArn != "" {
		return jsii.Strings(props.SesIdentityArn)
	}
	address, domain, err := senderIdentities(props.MailFrom)
	if err != nil {
		panic(fmt.Sprintf("infra: %v", err)) // Validate has checked it
	}
	arn := func(identity string) *string {
		return stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("ses"),
			Resource:     jsii.String("identity"),
			ResourceName: jsii.String(identity),
			ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})
	}
	return &[]*string{arn(domain), arn(address)}
}

// addRoutes adds one API route per entry of the route table, each to the
// integration of the function that owns it, and returns them by route key.
func addRoutes(api awsapigatewayv2.HttpApi, functions map[string]awslambda.Function, table []routes.Route) map[string]awsapigatewayv2.HttpRoute {
	added := map[string]awsapigatewayv2.HttpRoute{}
	integrations := map[string]awsapigatewayv2integrations.HttpLambdaIntegration{}
	for _, r := range table {
		integration, ok := integrations[r.Function]
		if !ok {
			fn, ok := functions[r.Function]
			if !ok {
				panic(fmt.Sprintf("infra: route %s (%s) belongs to unknown function %q", r.Name, r.Key(), r.Function))
			}
			integration = awsapigatewayv2integrations.NewHttpLambdaIntegration(
				jsii.String(functionID(r.Function)+"Integration"), fn,
				&awsapigatewayv2integrations.HttpLambdaIntegrationProps{
					PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
					// One invoke permission per function for this API, not
					// one per route: the function's resource policy stays
					// small however many routes it owns.
					ScopePermissionToRoute: jsii.Bool(false),
				})
			integrations[r.Function] = integration
		}
		for _, m := range r.Methods() {
			id := "Route-" + r.Name
			if m != r.Method {
				id += "-" + m // a GET route's HEAD twin
			}
			added[r.KeyFor(m)] = awsapigatewayv2.NewHttpRoute(api, jsii.String(id), &awsapigatewayv2.HttpRouteProps{
				HttpApi:     api,
				RouteKey:    awsapigatewayv2.HttpRouteKey_With(jsii.String(r.Path), awsapigatewayv2.HttpMethod(m)),
				Integration: integration,
			})
		}
	}
	// What no route matches goes to the web function, which answers 404 or
	// 405 from the route table: a GOV.UK page outside /api/, a problem
	// document under it (docs/design.md D5).
	if web, ok := integrations[routes.FnWeb]; ok {
		awsapigatewayv2.NewHttpRoute(api, jsii.String("Route-default"), &awsapigatewayv2.HttpRouteProps{
			HttpApi:     api,
			RouteKey:    awsapigatewayv2.HttpRouteKey_DEFAULT(),
			Integration: web,
		})
	}
	return added
}

// accessLogSettings implements awsapigatewayv2.IAccessLogSettings.
type accessLogSettings struct {
	destination awsapigatewayv2.IAccessLogDestination
	format      awsapigateway.AccessLogFormat
}

func (s *accessLogSettings) Destination() awsapigatewayv2.IAccessLogDestination { return s.destination }
func (s *accessLogSettings) Format() awsapigateway.AccessLogFormat              { return s.format }

// accessLogFormat is one JSON object per request. It leaves out the source
// IP, user agent and path: paths carry assessment ids, and none of these are
// needed to follow a request id through the function logs.
func accessLogFormat() string {
	b, err := json.Marshal(map[string]string{
		"requestId":          "$context.requestId",
		"requestTime":        "$context.requestTime",
		"routeKey":           "$context.routeKey",
		"status":             "$context.status",
		"latency":            "$context.responseLatency",
		"integrationLatency": "$context.integrationLatency",
		"integrationError":   "$context.integrationErrorMessage",
		"responseLength":     "$context.responseLength",
	})
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(b)
}

// newStage is the API's $default stage: throttled (the limited routes more
// tightly), access-logged and mapped to the custom domain when there is one.
func newStage(stack awscdk.Stack, api awsapigatewayv2.HttpApi, domain awsapigatewayv2.DomainName, apiRoutes map[string]awsapigatewayv2.HttpRoute) awsapigatewayv2.HttpStage {
	accessLogs := awslogs.NewLogGroup(stack, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		Retention: logRetention,
	})
	props := &awsapigatewayv2.HttpStageProps{
		HttpApi:    api,
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			BurstLimit: jsii.Number(apiBurstLimit),
			RateLimit:  jsii.Number(apiRateLimit),
		},
		AccessLogSettings: &accessLogSettings{
			destination: awsapigatewayv2.NewLogGroupLogDestination(accessLogs),
			format:      awsapigateway.AccessLogFormat_Custom(jsii.String(accessLogFormat())),
		},
	}
	if domain != nil {
		props.DomainMapping = &awsapigatewayv2.DomainMappingOptions{DomainName: domain}
	}
	stage := awsapigatewayv2.NewHttpStage(stack, jsii.String("ApiStage"), props)
	// The L2 stage has no per-route throttle, so it is set on the
	// CloudFormation stage. API Gateway refuses route settings for a route
	// that does not exist yet, hence the dependencies.
	cfnStage := stage.Node().DefaultChild().(awsapigatewayv2.CfnStage)
	settings := map[string]any{}
	for _, r := range limitedRoutes() {
		key := r.KeyFor(r.Method)
		route, ok := apiRoutes[key]
		if !ok {
			panic(fmt.Sprintf("infra: limited route %s (%s) has no API route", r.Name, key))
		}
		settings[key] = map[string]any{
			"ThrottlingBurstLimit": routeBurstLimit,
			"ThrottlingRateLimit":  routeRateLimit,
		}
		cfnStage.Node().AddDependency(route)
	}
	cfnStage.SetRouteSettings(settings)
	return stage
}

// limitedRoutes are the routes the route table gives a rate limit
// (routes.Route.Limit, docs/design.md D8): the public routes that create
// something, try a join code or send a recovery mail, which a guesser or a
// flood would hit. They get the tighter route throttle and, with the edge
// option, the tighter per-IP WAF rule, so the application's limit, the
// stage's and the edge's cover the same routes from one declaration.
func limitedRoutes() []routes.Route {
	var out []routes.Route
	for _, r := range routes.Table() {
		if r.Limit.Name != "" {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		panic("infra: the route table limits no route")
	}
	return out
}

// newReminderSchedule invokes the reminders function every morning and
// returns the dead-letter queue that holds the runs that failed for good.
//
// The schedule invokes asynchronously, so there are two ways to fail: the
// schedule cannot deliver (its retry policy, then its DLQ), or the function
// fails (Lambda's async retries, then the on-failure destination). Both end
// in the same queue, watched by one alarm.
func newReminderSchedule(stack awscdk.Stack, reminders awslambda.Function) awssqs.Queue {
	dlq := awssqs.NewQueue(stack, jsii.String("ReminderScheduleDLQ"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	maxEventAge := awscdk.Duration_Seconds(jsii.Number(reminderMaxEventAge.Seconds()))
	reminders.ConfigureAsyncInvoke(&awslambda.EventInvokeConfigOptions{
		RetryAttempts: jsii.Number(2),
		MaxEventAge:   maxEventAge,
		OnFailure:     awslambdadestinations.NewSqsDestination(dlq),
	})
	// The target creates the schedule's own role: invoke the reminders
	// function and send to the DLQ, assumable only by this account's
	// default schedule group.
	awsscheduler.NewSchedule(stack, jsii.String("ReminderSchedule"), &awsscheduler.ScheduleProps{
		Description: jsii.String("RASP: send the reminders that are due"),
		Schedule: awsscheduler.ScheduleExpression_Cron(&awsscheduler.CronOptionsWithTimezone{
			Minute:   jsii.String("0"),
			Hour:     jsii.String(reminderHour),
			TimeZone: awscdk.TimeZone_EUROPE_LONDON(),
		}),
		TimeWindow: awsscheduler.TimeWindow_Flexible(awscdk.Duration_Minutes(jsii.Number(reminderWindow.Minutes()))),
		Target: awsschedulertargets.NewLambdaInvoke(reminders, &awsschedulertargets.ScheduleTargetBaseProps{
			DeadLetterQueue: dlq,
			RetryAttempts:   jsii.Number(reminderRetries),
			MaxEventAge:     maxEventAge,
		}),
	})
	return dlq
}

// newAlarms watches every function, the API, the table and the DLQ. With an
// e-mail address, each alarm notifies it through an SNS topic.
func newAlarms(stack awscdk.Stack, email string, functions map[string]awslambda.Function, api awsapigatewayv2.HttpApi, table awsdynamodb.TableV2, dlq awssqs.Queue) {
	var action awscloudwatch.IAlarmAction
	if email != "" {
		topic := awssns.NewTopic(stack, jsii.String("AlarmTopic"), &awssns.TopicProps{
			DisplayName: jsii.String("RASP alarms"),
			EnforceSSL:  jsii.Bool(true),
		})
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
		action = awscloudwatchactions.NewSnsAction(topic)
	}
	fiveMinutes := awscdk.Duration_Minutes(jsii.Number(5))
	sum := &awscloudwatch.MetricOptions{Period: fiveMinutes, Statistic: jsii.String("Sum")}
	alarm := func(id, description string, metric awscloudwatch.IMetric, threshold float64, op awscloudwatch.ComparisonOperator) {
		a := awscloudwatch.NewAlarm(stack, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(description),
			Metric:             metric,
			Threshold:          jsii.Number(threshold),
			ComparisonOperator: op,
			EvaluationPeriods:  jsii.Number(1),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		if action != nil {
			a.AddAlarmAction(action)
		}
	}
	atLeast := awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD

	for _, name := range routes.Functions() {
		fn, id := functions[name], functionID(name)
		alarm(id+"ErrorsAlarm", "RASP "+name+": the function failed", fn.MetricErrors(sum), 1, atLeast)
		alarm(id+"ThrottlesAlarm", "RASP "+name+": invocations were throttled", fn.MetricThrottles(sum), 1, atLeast)
	}
	alarm("Api5xxAlarm", fmt.Sprintf("RASP API: %d or more 5xx responses in five minutes", api5xxThreshold),
		api.MetricServerError(sum), api5xxThreshold, atLeast)
	alarm("TableThrottlesAlarm", "RASP table: DynamoDB throttled requests",
		table.MetricThrottledRequestsForOperations(&awsdynamodb.OperationsMetricOptions{
			Period: fiveMinutes,
			// The operations the store uses.
			Operations: &[]awsdynamodb.Operation{
				awsdynamodb.Operation_GET_ITEM,
				awsdynamodb.Operation_QUERY,
				awsdynamodb.Operation_PUT_ITEM,
				awsdynamodb.Operation_UPDATE_ITEM,
				awsdynamodb.Operation_DELETE_ITEM,
				awsdynamodb.Operation_BATCH_WRITE_ITEM,
				awsdynamodb.Operation_TRANSACT_WRITE_ITEMS,
			},
		}), 1, atLeast)
	// The reminders run says, as an Embedded Metric Format line, whether
	// it left due entries for the next run; one such morning is an alarm.
	alarm("RemindersLeftOverAlarm", "RASP reminders: a run left due reminders for the next run (its time budget ran out, or entries kept failing)",
		awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String(reminders.MetricNamespace), MetricName: jsii.String(reminders.MetricLeftOver),
			DimensionsMap: &map[string]*string{reminders.MetricDimension: jsii.String("reminders")},
			Period:        awscdk.Duration_Hours(jsii.Number(24)), Statistic: jsii.String("Maximum")}),
		1, atLeast)
	alarm("ReminderDLQAlarm", "RASP reminders: a scheduled run failed after its retries and is in the dead-letter queue",
		dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: fiveMinutes, Statistic: jsii.String("Maximum")}),
		0, awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD)
}

// newMailConfigurationSet is the SES configuration set every mail is sent
// in: SES suppresses addresses that bounced or complained at its own level
// too, and publishes each permanent bounce and complaint to the default
// event bus, where newMailEventRule picks them up for the table's own
// suppression list (docs/operations.md).
func newMailConfigurationSet(stack awscdk.Stack) awsses.ConfigurationSet {
	set := awsses.NewConfigurationSet(stack, jsii.String("MailConfigurationSet"), &awsses.ConfigurationSetProps{
		SuppressionReasons: awsses.SuppressionReasons_BOUNCES_AND_COMPLAINTS,
		ReputationMetrics:  jsii.Bool(true),
		TlsPolicy:          awsses.ConfigurationSetTlsPolicy_REQUIRE,
	})
	set.AddEventDestination(jsii.String("BouncesAndComplaints"), &awsses.ConfigurationSetEventDestinationOptions{
		Destination: awsses.EventDestination_EventBus(awsevents.EventBus_FromEventBusName(stack, jsii.String("DefaultBus"), jsii.String("default"))),
		Events:      &[]awsses.EmailSendingEvent{awsses.EmailSendingEvent_BOUNCE, awsses.EmailSendingEvent_COMPLAINT},
	})
	return set
}

// mailResources are what ses:SendEmail is granted on: the sender's
// identities and the configuration set.
func mailResources(stack awscdk.Stack, props *RaspStackProps, set awsses.ConfigurationSet) *[]*string {
	out := append([]*string{}, *sesIdentityArns(stack, props)...)
	out = append(out, stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("configuration-set"),
		ResourceName: set.ConfigurationSetName()}))
	return &out
}

// newMailEventRule sends the bounces and complaints of our configuration
// set to the reminders function, which puts the addresses on the
// suppression list (reminders.Handler tells them from its schedule by their
// source).
func newMailEventRule(stack awscdk.Stack, set awsses.ConfigurationSet, fn awslambda.Function) {
	awsevents.NewRule(stack, jsii.String("MailEventRule"), &awsevents.RuleProps{
		Description: jsii.String("SES bounces and complaints of RASP's mail, to the suppression list"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings(reminders.SESSource),
			DetailType: jsii.Strings("Email Bounced", "Email Complaint Received"),
			Detail: &map[string]any{"mail": map[string]any{"tags": map[string]any{
				"ses:configuration-set": []any{set.ConfigurationSetName()},
			}}},
		},
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
			RetryAttempts: jsii.Number(4),
		})},
	})
}
