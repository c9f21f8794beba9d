"""Infrastructure: local provisioning of the embedded AWS, the demo seed, the local stack, CloudFormation extras."""
