/**
 * The deploy module's checks: they parse every container, Kubernetes, Knative and AWS file under
 * {@code deploy/} (and the manifests the function's build generates), and cross-check them with
 * what the function really uses: its port, health paths, configuration and environment names (read
 * from {@code function/src/main/resources/application.properties}, its sources and Quarkus'
 * defaults), the project's versions (the root POM) and the files the build produced ({@code
 * function/target/}). Each failure names the file and the field.
 */
package dev.cifar.deploy;
