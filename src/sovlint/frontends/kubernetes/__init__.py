"""The Kubernetes frontend: manifests, Helm charts and Kustomize overlays -> facts."""
