package io.cloudconnector.backgroundjobs.policy;

/**
 * Where a policy's ticks come from. In AWS, one EventBridge Scheduler schedule per policy that sends
 * {@code PolicyTick} to this service's inbox ({@link SchedulerPolicySchedules}); locally, this service's own
 * scheduler reads the policies ({@link LocalPolicyScheduler}) and there is nothing to keep in step.
 */
interface PolicySchedules {

    /** Creates or updates the schedule of a policy (disabled while the policy is paused). */
    void put(Policy policy);

    /** Deletes the schedule of a deleted policy; nothing if there is none. */
    void delete(String policyId);

    /** The local scheduler's: nothing to keep in step. */
    PolicySchedules NONE = new PolicySchedules() {
        @Override
        public void put(Policy policy) {}

        @Override
        public void delete(String policyId) {}
    };
}
