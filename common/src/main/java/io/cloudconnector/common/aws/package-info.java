/** AWS SDK clients configured alike for every service, and CloudFormation stack deployment. */
@NullMarked
package io.cloudconnector.common.aws;

import org.jspecify.annotations.NullMarked;
