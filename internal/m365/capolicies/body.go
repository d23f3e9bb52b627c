// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicies

import absser "github.com/microsoft/kiota-abstractions-go/serialization"

// SetJSONNull makes the kiota JSON writer emit "key": null in a request body. A Conditional
// Access PATCH replaces nested objects wholesale, so a property to clear must be sent as null;
// the typed setters cannot express an explicit null (a nil value is simply left out), but
// additional data is written verbatim.
func SetJSONNull(holder absser.AdditionalDataHolder, key string) {
	data := holder.GetAdditionalData()
	if data == nil {
		data = map[string]any{}
	}
	data[key] = absser.NewUntypedNull()
	holder.SetAdditionalData(data)
}
