"""Running a package's adapter for a job: resolve it, feed it data, keep the job informed."""
