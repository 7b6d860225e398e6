package dynamo_test

import (
	"testing"

	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/storetest"
)

// The storage contract on DynamoDB Local: the cases the memory store
// (shared/memstore) passes too, so the fake keeps to the real conditions.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return dynamo.NewStore(ddbtest.Client(), ddbtest.NewTable(t)) })
}
