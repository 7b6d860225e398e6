// Command app is the CDK app of RASP: it reads the deployment settings from
// RASP_* environment variables, builds the stack and checks it with cdk-nag.
//
// The CDK CLI runs it from infra/ (see infra/cdk.json); `go run ./infra/app`
// with CDK_OUTDIR set writes the same cloud assembly without the CLI.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/openrasp/rasp/infra"
)

// placeholderSender lets the template be synthesized for review when
// RASP_MAIL_FROM is not set; an error annotation then stops the CDK CLI from
// synthesizing or deploying it.
const placeholderSender = "RASP <rasp@example.com>"

func main() {
	props, err := propsFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rasp infra:", err)
		os.Exit(2)
	}
	app := awscdk.NewApp(nil)
	stack := infra.NewRaspStack(app, stackName(os.Getenv), props)
	if props.MailFrom == placeholderSender {
		awscdk.Annotations_Of(stack).AddError(jsii.String(
			"RASP_MAIL_FROM is not set: set it to an SES-verified sender, e.g. 'RASP <rasp@example.gov.uk>'"))
	}
	awscdk.Tags_Of(app).Add(jsii.String("service"), jsii.String("rasp"), nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	app.Synth(nil)
}

func stackName(getenv func(string) string) string {
	if name := getenv("RASP_STACK_NAME"); name != "" {
		return name
	}
	return "Rasp"
}

// propsFromEnv reads the deployment settings. The account and region are
// those the CDK CLI resolved from the AWS credentials, when it runs the app.
func propsFromEnv(getenv func(string) string) (*infra.RaspStackProps, error) {
	p := &infra.RaspStackProps{
		StackProps: awscdk.StackProps{
			Description: jsii.String("RASP: self-assessment service (DynamoDB, Lambda, HTTP API, reminders)"),
		},
		AlarmEmail:     getenv("RASP_ALARM_EMAIL"),
		DomainName:     getenv("RASP_DOMAIN"),
		CertificateArn: getenv("RASP_CERTIFICATE_ARN"),
		MailFrom:       getenv("RASP_MAIL_FROM"),
		SesIdentityArn: getenv("RASP_SES_IDENTITY_ARN"),
		BaseURL:        getenv("RASP_BASE_URL"),
		CORSOrigins:    getenv("RASP_CORS_ORIGINS"),
		// The edge option (docs/operations.md, "Edge protection").
		EdgeWebACLArn:      getenv("RASP_EDGE_WEB_ACL_ARN"),
		EdgeCertificateArn: getenv("RASP_EDGE_CERTIFICATE_ARN"),
	}
	if account, region := getenv("CDK_DEFAULT_ACCOUNT"), getenv("CDK_DEFAULT_REGION"); account != "" && region != "" {
		p.Env = &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}
	}
	if v := getenv("RASP_TRACING"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("RASP_TRACING=%q: want true or false", v)
		}
		p.TracingEnabled = on
	}
	if v := getenv("RASP_EDGE"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("RASP_EDGE=%q: want true or false", v)
		}
		p.Edge = on
	}
	if p.MailFrom == "" {
		p.MailFrom = placeholderSender
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
