"""The Docker Compose frontend: compose.yaml / docker-compose*.yml -> one workload object per
service (its image and the strings it sends: environment, command, log options), judged like
a Kubernetes workload (SOV200 images, SOV203 egress)."""
