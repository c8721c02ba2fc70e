package io.cloudconnector.common.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem JSON for the errors raised before a controller runs, which {@link ProblemDetailsAdvice} never sees: a
 * request Tomcat refuses (a malformed request line, an undecodable or encoded-slash path: {@link
 * ProblemErrorReportValve}), one the security firewall refuses ({@code //}, {@code ..}, {@code %25}: it sends
 * an error that {@link ProblemErrorController} renders), and a {@code Content-Type} or {@code Accept}
 * the API cannot serve ({@link MediaTypeFilter}). An auto-configuration of its own, ahead of Spring Boot's error handling, whose error
 * controller it replaces.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemResponses {

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    MediaTypeFilter mediaTypeFilter(JsonMapper json) {
        return new MediaTypeFilter(json);
    }

    @Bean
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }
}
