package memstore_test

import (
	"testing"

	"github.com/openrasp/rasp/shared/memstore"
	"github.com/openrasp/rasp/shared/storetest"
)

// The storage contract on the memory store; shared/dynamo runs the same
// cases on DynamoDB Local (TestStoreContract there).
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) storetest.Store { return memstore.New() })
}
