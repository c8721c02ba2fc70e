package io.cloudconnector.common.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.resilience.AwsAvailability;
import io.cloudconnector.common.resilience.AwsAvailabilityInterceptor;
import io.cloudconnector.common.security.ConnectorAudience;
import io.cloudconnector.common.security.ProblemSecurityHandlers;
import io.cloudconnector.common.security.SecurityProperties;
import io.cloudconnector.common.security.TokenVerification;
import io.cloudconnector.common.web.LimitsProperties;
import io.cloudconnector.common.web.OpenStreamLimiter;
import io.cloudconnector.common.web.ProblemDetailsAdvice;
import io.cloudconnector.common.web.RequestBodyLimitFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.annotation.AnnotationTemplateExpressionDefaults;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The security every service shares: stateless bearer-token authentication on every endpoint but
 * health, scopes checked per operation with {@link io.cloudconnector.common.security.RequiresScope},
 * request limits ({@code connector.limits.*}: body size, open event streams) and problem JSON for every refusal.
 */
@AutoConfiguration(
        beforeName = {
            // Before Boot's MVC configuration, so that its own problem-details handler backs off for ours.
            "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({SecurityProperties.class, LimitsProperties.class})
@EnableWebSecurity
@EnableMethodSecurity
public class ConnectorSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(SecurityProperties properties, Environment environment) {
        return TokenVerification.decoder(properties, audience(properties, environment));
    }

    /**
     * The audience tokens must carry ({@link ConnectorAudience}): {@code connector.security.audience} if set, else
     * {@code <account>:<region>:<connector id>} with the account from {@code connector.account} or, when that is
     * not set (a deployment), from STS GetCallerIdentity (which every principal may call), the region from
     * {@code connector.aws.region}.
     */
    public static String audience(SecurityProperties properties, Environment environment) {
        AwsProperties aws = Binder.get(environment).bindOrCreate("connector.aws", Bindable.of(AwsProperties.class));
        return ConnectorAudience.resolve(
                properties.audience(),
                environment.getProperty("connector.account"),
                () -> callerAccount(aws),
                aws.region(),
                environment.getRequiredProperty("connector.id"));
    }

    private static String callerAccount(AwsProperties aws) {
        try (StsClient sts = new AwsClientFactory(aws).sync(StsClient.builder())) {
            return sts.getCallerIdentity().account();
        }
    }

    /** Request bodies over {@code connector.limits.max-request-body}: 413, before authentication. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(LimitsProperties limits) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(
                limits.maxRequestBody().toBytes(), io.cloudconnector.common.event.EventCodec.standardMapper()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    OpenStreamLimiter openStreamLimiter(LimitsProperties limits) {
        return new OpenStreamLimiter(limits.maxOpenStreams());
    }

    /** Event streams past {@code connector.limits.max-open-streams}: 429. */
    @Bean
    WebMvcConfigurer openStreamLimit(OpenStreamLimiter limiter) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(limiter);
            }
        };
    }

    @Bean
    ProblemSecurityHandlers problemSecurityHandlers() {
        return new ProblemSecurityHandlers(io.cloudconnector.common.event.EventCodec.standardMapper());
    }

    @Bean
    static AnnotationTemplateExpressionDefaults annotationTemplateExpressionDefaults() {
        return new AnnotationTemplateExpressionDefaults();
    }

    @Bean
    @ConditionalOnMissingBean(ProblemDetailsAdvice.class)
    ProblemDetailsAdvice problemDetailsAdvice() {
        return new ProblemDetailsAdvice();
    }

    @Bean
    @ConditionalOnMissingBean
    AwsAvailability awsAvailability() {
        return new AwsAvailability();
    }

    /** Every API request passes the circuit breaker in front of AWS (503 + Retry-After while it is open). */
    @Bean
    WebMvcConfigurer awsAvailabilityInterceptor(AwsAvailability availability) {
        var interceptor = new AwsAvailabilityInterceptor(availability);
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor);
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityFilterChain connectorSecurityFilterChain(
            HttpSecurity http, ProblemSecurityHandlers problems, SecurityProperties properties) {
        String[] open = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("/actuator/health", "/actuator/health/**", "/error"),
                        properties.publicPaths().stream())
                .toArray(String[]::new);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests ->
                        requests.requestMatchers(open).permitAll().anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> {})
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }
}
