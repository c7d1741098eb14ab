package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import java.time.Instant;

/** One visible row of {@code k8s_expenses_current}. */
record StoredRow(String tenant, String cluster, String namespace, Instant hour, String currency, Costs costs,
                 Efficiencies efficiencies, double coverage, long version, Instant computedAt) {
}
